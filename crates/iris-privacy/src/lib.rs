//! The privacy gate: every record that leaves the workstation passes through this crate and
//! comes out as a [`Deidentified<T>`].
//!
//! The gate is a type, not a habit. `Deidentified<T>` has a private field and its only
//! constructor is private to this crate, so no other crate can wrap a value and claim it was
//! de-identified. The crates that send data off the device (`iris-sync`, `iris-analytics`,
//! `iris-central`) accept only `Deidentified<T>` and may not depend on the vault, the FHIR
//! reader or the core (`cargo xtask check-boundaries`, rule 8), so the only records they can
//! ever hold came out of here.
//!
//! This crate holds the type only, so that the boundary stands before its first user. The
//! de-identification itself (keyed pseudonyms, categories, free-text scrubbing, Safe Harbor
//! and k-anonymity checks) is the privacy issue's work and will be the only caller of
//! [`Deidentified::release`].
//!
//! Outside this crate a `Deidentified<T>` can be read:
//!
//! ```
//! fn age_group(profile: &iris_privacy::Deidentified<(String, String)>) -> &str {
//!     &profile.get().1
//! }
//! ```
//!
//! but not made:
//!
//! ```compile_fail
//! // error[E0603]/E0624: the constructor is private to iris-privacy
//! let leaked = iris_privacy::Deidentified::release("Jane Doe, MRN 12345");
//! ```
//!
//! ```compile_fail
//! // error[E0423]: the field is private, so there is no tuple constructor either
//! let leaked = iris_privacy::Deidentified("Jane Doe");
//! ```

/// A value that passed the privacy gate. Read it with [`Deidentified::get`] or
/// [`Deidentified::into_inner`]; only `iris-privacy` can make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deidentified<T>(T);

impl<T> Deidentified<T> {
    /// Wraps a value the gate has checked. Private to the crate on purpose: this is the gate.
    #[allow(dead_code, reason = "the privacy issue's gate is its first caller")]
    pub(crate) fn release(value: T) -> Deidentified<T> {
        Deidentified(value)
    }

    pub fn get(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_gate_released_can_be_read() {
        let d = Deidentified::release(("age group", "older adult"));
        assert_eq!(d.get().1, "older adult");
        assert_eq!(d.into_inner(), ("age group", "older adult"));
    }
}
