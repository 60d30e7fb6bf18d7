#!/bin/bash
# Run once by the postgres image, when its data directory is first initialised
# (/docker-entrypoint-initdb.d): the roles of the product and of Temporal, and the product's
# database owned by its owner role. Passwords come from the service's environment.
set -euo pipefail
sql="$(dirname "$0")/sql"
names=(-v owner=pathways_owner -v runtime=pathways_app -v temporal=temporal -v database=pathways)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres "${names[@]}" \
  -v owner_password="$PATHWAYS_DB_OWNER_PASSWORD" \
  -v runtime_password="$PATHWAYS_DB_APP_PASSWORD" \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" \
  -f "$sql/roles.sql"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname pathways "${names[@]}" \
  -f "$sql/database.sql"
