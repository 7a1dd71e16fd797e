-- Runs once, as root, when the mysql container initialises an empty data volume
-- (docker-entrypoint-initdb.d). Plain SQL that MySQL 8.4 and MariaDB 11.4 both accept,
-- one statement per line, so a test can run it statement by statement over JDBC.
--
-- DEMO CREDENTIALS ONLY: the passwords below are in the repository and in docker-compose.yml.
-- Never reuse them outside a local demo.
--
-- Two users, because the sink needs DDL rights only while Flyway migrates the schema:
--   adclicks_migrator  used by Flyway (spring.flyway.user) to create and alter tables
--   adclicks_app       used by the running service (spring.datasource.username), data only
-- A bug or an injected statement in the service can then read and write rows, but it cannot
-- drop or alter a table.

CREATE DATABASE IF NOT EXISTS adclicks;

CREATE USER IF NOT EXISTS 'adclicks_migrator'@'%' IDENTIFIED BY 'migrator-secret';
GRANT CREATE, ALTER, DROP, INDEX, REFERENCES, SELECT, INSERT, UPDATE, DELETE ON adclicks.* TO 'adclicks_migrator'@'%';

CREATE USER IF NOT EXISTS 'adclicks_app'@'%' IDENTIFIED BY 'app-secret';
GRANT SELECT, INSERT, UPDATE, DELETE ON adclicks.* TO 'adclicks_app'@'%';
