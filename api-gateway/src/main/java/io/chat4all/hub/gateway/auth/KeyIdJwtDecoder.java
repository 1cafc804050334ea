package io.chat4all.hub.gateway.auth;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Verifies a token with the key its {@code kid} header names (Nimbus does the parsing and the
 * signature check): an unknown key id, an unsigned ({@code alg=none}) or tampered token, a wrong
 * issuer or audience, an expired token or one without {@code exp} or {@code jti} is rejected.
 */
public final class KeyIdJwtDecoder implements ReactiveJwtDecoder {

    private final Map<String, ReactiveJwtDecoder> decoders;

    public KeyIdJwtDecoder(JwtKeys keys, String issuer, String audience) {
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                required("exp", jwt -> jwt.getExpiresAt() != null),
                required("aud", jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)),
                required("jti", jwt -> isUuid(jwt.getId())));
        this.decoders = keys.all().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(entry.getValue())
                    .macAlgorithm(MacAlgorithm.HS256).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }));
    }

    private static OAuth2TokenValidator<Jwt> required(String claim, Predicate<Jwt> valid) {
        OAuth2TokenValidatorResult failure = OAuth2TokenValidatorResult.failure(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "the " + claim + " claim is missing or wrong", null));
        return jwt -> valid.test(jwt) ? OAuth2TokenValidatorResult.success() : failure;
    }

    private static boolean isUuid(String value) {
        try {
            return value != null && UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Mono<Jwt> decode(String token) {
        String keyId;
        try {
            if (!(JWTParser.parse(token) instanceof SignedJWT signed)) {
                return Mono.error(new BadJwtException("the token is not signed"));
            }
            keyId = signed.getHeader().getKeyID();
        } catch (ParseException e) {
            return Mono.error(new BadJwtException("the token is malformed", e));
        }
        ReactiveJwtDecoder decoder = keyId == null ? null : decoders.get(keyId);
        if (decoder == null) {
            return Mono.error(new BadJwtException("the token's key is unknown"));
        }
        return decoder.decode(token);
    }
}
