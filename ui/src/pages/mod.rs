pub mod about;
pub mod cds;
pub mod chart;
pub mod encounters;
pub mod patients;
pub mod setup;
pub mod sign_in;
pub mod users;
