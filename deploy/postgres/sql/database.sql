-- Inside the product's database (run by ../10-roles.sh): only the owner creates objects in its
-- schema; the runtime role may use it.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"owner";
GRANT USAGE ON SCHEMA public TO :"runtime";
