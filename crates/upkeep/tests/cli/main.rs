//! The CLI suite: every verb run as a user runs it, on small repositories
//! built in the tests and recorded forge, tracker and list answers served
//! locally. One test binary (each file a module) so that the suite links
//! once; `UPKEEP_TEST_STORE=postgres` runs it again on PostgreSQL.

#[path = "../common/mod.rs"]
mod common;
#[path = "../../../upkeep-forge/tests/support/mod.rs"]
mod support;

mod advisories;
mod agents;
mod brief;
mod card;
mod contributions;
mod conventions;
mod deps;
mod export;
mod fleet;
mod forge;
mod gitlab;
mod identities;
mod jira;
mod lists;
mod mine;
mod publish;
mod report;
mod security;
mod stakeholders;
