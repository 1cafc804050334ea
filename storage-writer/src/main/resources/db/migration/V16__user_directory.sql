-- GET /v1/users (admins) finds users and channel contacts by the start of their username or
-- display name, case-insensitively, page by page in username order (the unique index): index
-- the prefix lookups instead of scanning users. Channel addresses use V3's indexes.
CREATE INDEX users_by_username_prefix ON users (lower(username) text_pattern_ops) WHERE erased_at IS NULL;
CREATE INDEX users_by_display_name_prefix ON users (lower(display_name) text_pattern_ops) WHERE erased_at IS NULL;
