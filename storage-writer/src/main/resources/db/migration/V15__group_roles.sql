-- Group roles (issue 17): the creator of a group is its owner; owners and admins add and remove
-- others; anyone may leave. Private conversations have no roles (every row stays 'member').
ALTER TABLE conversation_members
    ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));

UPDATE conversation_members m SET role = 'owner'
  FROM conversations c
 WHERE m.conversation_id = c.conversation_id AND c.type = 'group' AND m.user_id = c.created_by AND m.left_at IS NULL;
