package io.chat4all.hub.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.chat4all.hub.gateway.core.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Issues access tokens: HS256, signed with the newest key, its id in the {@code kid} header; with
 * {@code iss}, {@code aud}, {@code exp}, a {@code jti} (a single token can be signed out) and the
 * user's token version {@code ver} (all of a user's tokens can be revoked at once).
 */
public final class TokenService {

    public static final String USERNAME_CLAIM = "username";
    public static final String ROLE_CLAIM = "role";
    /** The user's token version when the token was issued (see {@link AccessControl}). */
    public static final String VERSION_CLAIM = "ver";

    private final JwtKeys keys;
    private final NimbusJwtEncoder encoder;
    private final Duration ttl;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenService(JwtKeys keys, Duration ttl, String issuer, String audience, Clock clock) {
        this.keys = keys;
        OctetSequenceKey jwk = new OctetSequenceKey.Builder(keys.signingKey()).keyID(keys.signingKeyId())
                .algorithm(JWSAlgorithm.HS256).build();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)));
        this.ttl = ttl;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** An issued token and its lifetime. */
    public record IssuedToken(String value, Duration expiresIn) {
    }

    /** A token for the user at {@code version} of their tokens: bumping the version revokes it. */
    public IssuedToken issue(UUID userId, String username, Role role, int version) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(java.util.List.of(audience))
                .subject(userId.toString())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .id(UUID.randomUUID().toString())
                .claim(USERNAME_CLAIM, username)
                .claim(ROLE_CLAIM, role.wireName())
                .claim(VERSION_CLAIM, version)
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).keyId(keys.signingKeyId()).build();
        return new IssuedToken(encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue(), ttl);
    }
}
