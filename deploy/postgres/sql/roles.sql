-- The roles, and the product's database (run by ../10-roles.sh as the superuser, in the
-- `postgres` database; tests/deploy/test_compose.py runs it too, with names of its own).
-- The owner migrates; the runtime role (API, workers) gets its rows' privileges from
-- `pathways db upgrade` after each migration (db/roles.py); Temporal has databases of its own.
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"runtime" LOGIN PASSWORD :'runtime_password';
CREATE ROLE :"temporal" LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"runtime";
