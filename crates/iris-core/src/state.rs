//! The core's mutable state behind one lock: the open vault, how it was unlocked or why it
//! could not be, and the signed-in session.
//!
//! One `Mutex` (not one per field) so that a change touching several fields — opening a vault
//! sets it, its slot and clears the last error — is seen whole by every other command. The lock
//! is never held across an `.await`: every method takes it, copies or swaps, and drops it.

use std::sync::{Arc, Mutex, MutexGuard};

use iris_types::ApiError;
use iris_vault::{Actor, Vault};

#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) actor: Actor,
    pub(crate) last_active: i64,
    pub(crate) locked: bool,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) vault: Option<Arc<Vault>>,
    /// The key slot that opened it (`passphrase`, `keyring`, `recovery`).
    pub(crate) unlocked_with: Option<&'static str>,
    /// Why the vault could not be opened, until it is.
    pub(crate) open_error: Option<ApiError>,
    pub(crate) session: Option<Session>,
    /// Whether the open vault holds the synthetic demo cohort.
    pub(crate) demo: bool,
}

/// The state, shared by every clone of the core.
#[derive(Debug, Default, Clone)]
pub(crate) struct Shared(Arc<Mutex<State>>);

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind (no invariant spans an
        // await), so a poisoned lock is still usable.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The vault, opened vault with its slot, and no error left: in one step.
    pub(crate) fn set_vault(&self, v: Vault, with: &'static str, demo: bool) {
        let mut s = self.lock();
        s.vault = Some(Arc::new(v));
        s.unlocked_with = Some(with);
        s.open_error = None;
        s.demo = demo;
    }
}
