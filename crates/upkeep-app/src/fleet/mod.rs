//! The fleet: jobs queued in the shared PostgreSQL store and the workers
//! that run them on many machines, with the same mining, forge and list code
//! as the CLI. [`enqueue`] turns repositories, projects and lists into jobs;
//! [`worker::run`] claims and runs them until stopped.

mod budget;
mod enqueue;
mod job;
pub mod worker;

pub use enqueue::{JobOptions, enqueue, jobs_for};
pub use worker::{Stop, WorkerOptions};
