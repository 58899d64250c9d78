//! Vault maintenance (administrators): key rotation, re-encryption, backup and restore, and
//! closing the vault on exit.

use std::sync::Arc;

use iris_types::{ApiError, ErrorCode};
use iris_vault::{Unlock, Vault};

use crate::AppCore;
use crate::errors::{api_error, not_open};

impl AppCore {
    /// Re-wraps the vault key under a new keyring secret, or under a new passphrase if given.
    pub async fn rekey(&self, new_passphrase: Option<String>) -> Result<Vec<String>, ApiError> {
        let (v, actor) = self.actor().await?;
        let to = match new_passphrase {
            Some(p) => Unlock::Passphrase(p),
            None => Unlock::Keyring,
        };
        v.rekey(&actor, &to, self.now_ms())
            .await
            .map_err(api_error)?;
        v.slots().await.map_err(api_error)
    }

    /// Writes an encrypted online backup to `out` (admin).
    pub async fn backup(&self, out: &std::path::Path) -> Result<u64, ApiError> {
        let (v, actor) = self.actor().await?;
        v.backup(&actor, out, self.now_ms())
            .await
            .map_err(api_error)
    }

    /// Restores a backup into this data dir, which must hold no vault, with the passphrase or
    /// recovery key (`unlock`). The vault is open afterwards.
    pub async fn restore(&self, backup: &std::path::Path, unlock: &Unlock) -> Result<(), ApiError> {
        let v = Vault::restore(
            backup,
            self.config().data_dir(),
            unlock,
            self.lockout(),
            self.now_ms(),
        )
        .await
        .map_err(api_error)?;
        tracing::info!(
            slot = unlock.slot().as_str(),
            "vault restored from a backup"
        );
        let demo = v.is_demo().await.unwrap_or(false);
        self.state.set_vault(v, unlock.slot().as_str(), demo);
        Ok(())
    }

    /// Re-encrypts every value under a new data key (admin); resumable, at most
    /// `max_batches` batches per call. Needs the vault to itself: refused while other work
    /// holds it.
    pub async fn reencrypt(
        &self,
        max_batches: Option<u32>,
    ) -> Result<iris_vault::maintenance::Reencrypted, ApiError> {
        let (v, actor) = self.actor().await?;
        drop(v);
        let Some(arc) = self.state.lock().vault.take() else {
            return Err(not_open());
        };
        let mut vault = match Arc::try_unwrap(arc) {
            Ok(v) => v,
            Err(arc) => {
                self.state.lock().vault = Some(arc);
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "The vault is busy; try again when other work has finished.",
                ));
            }
        };
        let result = vault.reencrypt(&actor, max_batches, self.now_ms()).await;
        self.state.lock().vault = Some(Arc::new(vault));
        result.map_err(api_error)
    }

    /// Closes the vault (the CLI does this before exiting so the WAL is checkpointed).
    pub async fn close_vault(&self) {
        let v = self.state.lock().vault.take();
        if let Some(v) = v.and_then(|a| Arc::try_unwrap(a).ok()) {
            v.close().await;
        }
    }
}
