package io.chat4all.hub.localstack.process;

/** A failure of the local stack with the cause and the fix, both in words a user can act on. */
public class StackException extends RuntimeException {

    private final String fix;

    public StackException(String problem, String fix) {
        super(problem);
        this.fix = fix;
    }

    public StackException(String problem, String fix, Throwable cause) {
        super(problem, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
