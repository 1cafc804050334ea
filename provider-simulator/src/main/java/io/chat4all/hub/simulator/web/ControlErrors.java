package io.chat4all.hub.simulator.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Control API errors: 400 {@code {"error":"..."}}. (Provider endpoints answer in Meta's shape instead.) */
@RestControllerAdvice(assignableTypes = {FaultController.class, InboundController.class, RecordsController.class})
class ControlErrors {

    record Error(String error) {
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Error> invalid(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new Error(e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Error> unreadable(ServerWebInputException e) {
        Throwable cause = e.getMostSpecificCause();
        String detail = cause == e || cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        String reason = (e.getReason() == null ? "invalid request" : e.getReason()) + detail;
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new Error(reason));
    }
}
