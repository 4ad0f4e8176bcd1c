-- The department a category's cases usually go to (an administrator sets it): the routing
-- suggestion's rule baseline. NULL: the places' own units only.
ALTER TABLE categories ADD COLUMN department_id BIGINT REFERENCES units(id);
