-- Inbound channel messages find the business user owning the address written to (the gateway's
-- ContactDirectory): index those lookups instead of scanning users. WhatsApp addresses are kept as
-- entered, so the lookup compares their digits.
CREATE INDEX users_by_whatsapp_digits ON users ((regexp_replace(channels->>'whatsapp', '[^0-9]', '', 'g')))
    WHERE erased_at IS NULL;
CREATE INDEX users_by_instagram ON users ((channels->>'instagram')) WHERE erased_at IS NULL;
