pub mod about;
pub mod setup;
pub mod sign_in;
pub mod users;
