-- Linkis.Orleans schema, part 2: cluster membership (Orleans' ADO.NET clustering provider).
--
-- One version row per cluster (deployment): every change to the membership bumps it, and a change is accepted only
-- when the caller saw the current version, which is how silos agree on who is alive.
CREATE TABLE IF NOT EXISTS linkis_membership_version
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    version       integer      NOT NULL DEFAULT 0,
    changed_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS linkis_membership
(
    deployment_id   varchar(150)  NOT NULL REFERENCES linkis_membership_version (deployment_id) ON DELETE CASCADE,
    address         varchar(45)   NOT NULL,
    port            integer       NOT NULL,
    generation      integer       NOT NULL,
    silo_name       varchar(150)  NOT NULL,
    host_name       varchar(150)  NOT NULL,
    status          integer       NOT NULL,
    proxy_port      integer,
    suspect_times   varchar(8000),
    start_time      timestamptz   NOT NULL,
    i_am_alive_time timestamptz   NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO linkis_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::int FROM created
$q$),
-- A silo joins: its row is added and the version bumped in one statement, only if the version is the one it read
-- and the row is not there yet. Answers 1 on success, 0 otherwise (Orleans then reads the table again and retries).
('InsertMembershipKey', $q$
    WITH bumped AS (
        UPDATE linkis_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = @DeploymentId AND v.version = @Version
          AND NOT EXISTS (SELECT 1 FROM linkis_membership m
                          WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                            AND m.port = @Port AND m.generation = @Generation)
        RETURNING v.deployment_id),
    added AS (
        INSERT INTO linkis_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                       proxy_port, start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
               @ProxyPort, @StartTime, @IAmAliveTime
        FROM bumped
        RETURNING 1)
    SELECT count(*)::int FROM added
$q$),
('UpdateMembershipKey', $q$
    WITH bumped AS (
        UPDATE linkis_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = @DeploymentId AND v.version = @Version
        RETURNING v.deployment_id),
    changed AS (
        UPDATE linkis_membership m
        SET status = @Status, suspect_times = @SuspectTimes::varchar, i_am_alive_time = @IAmAliveTime
        FROM bumped
        WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address
          AND m.port = @Port AND m.generation = @Generation
        RETURNING 1)
    SELECT count(*)::int FROM changed
$q$),
('UpdateIAmAlivetimeKey', $q$
    UPDATE linkis_membership
    SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),
-- The version row always comes back (even with no member), so Orleans learns the version it must present.
('MembershipReadRowKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM linkis_membership_version v
    LEFT JOIN linkis_membership m
      ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM linkis_membership_version v
    LEFT JOIN linkis_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM linkis_membership_version WHERE deployment_id = @DeploymentId
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
    FROM linkis_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),
-- Only silos that are not Active (status 3) and stopped reporting long ago are removed.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM linkis_membership
    WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
