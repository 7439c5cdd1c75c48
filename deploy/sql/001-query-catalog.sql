-- Linkis.Orleans schema, part 1: the query catalog.
--
-- Orleans' ADO.NET providers (clustering, grain state, reminders) run no SQL of their own: at start each reads the
-- queries it needs from a table named OrleansQuery (columns QueryKey, QueryText) and then runs them with named
-- parameters (@DeploymentId, @GrainIdHash, …), reading result columns by name. The tables behind those queries are
-- ours (the files after this one). Every statement here is idempotent: running the scripts again, or from two silos
-- at once under the silo's advisory lock, changes nothing that is already right, and updates the queries.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
