//! Key material and the slots that wrap it.
//!
//! One random data key (per generation) encrypts the records; an Ed25519 seed signs the audit
//! head. Together they are the vault's *key material*, which is stored only wrapped: once per
//! key-encryption key (KEK) in `key_slots`:
//!
//! * `keyring`: a random 256-bit KEK kept in the OS keyring (Secret Service, Keychain,
//!   Credential Manager) under service `iris-vault`, account `vault-<vault id>`, so two data
//!   dirs on one machine never share or overwrite an entry;
//! * `passphrase`: KEK = Argon2id(passphrase, salt) for machines without a keyring, or when
//!   `IRIS_PASSPHRASE` is set;
//! * `recovery`: KEK = HKDF(recovery key), a 256-bit key shown once at initialisation.
//!
//! The wrap label contains the vault id and slot kind, so a slot copied from another vault or
//! into another slot does not unwrap.

use zeroize::Zeroize;

use crate::crypto::{KEY_LEN, KdfParams, Secret32, fill_random, unwrap, wrap};
use crate::error::VaultError;

pub const KEYRING_SERVICE: &str = "iris-vault";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    Keyring,
    Passphrase,
    Recovery,
}

impl SlotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotKind::Keyring => "keyring",
            SlotKind::Passphrase => "passphrase",
            SlotKind::Recovery => "recovery",
        }
    }
}

/// How to obtain a key-encryption key.
#[derive(Clone)]
pub enum Unlock {
    /// The OS keyring entry of this vault.
    Keyring,
    Passphrase(String),
    /// The recovery key as shown at initialisation (groups and dashes are ignored).
    Recovery(String),
}

impl std::fmt::Debug for Unlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unlock::Keyring => "Unlock::Keyring",
            Unlock::Passphrase(_) => "Unlock::Passphrase(..)",
            Unlock::Recovery(_) => "Unlock::Recovery(..)",
        })
    }
}

impl Unlock {
    pub fn slot(&self) -> SlotKind {
        match self {
            Unlock::Keyring => SlotKind::Keyring,
            Unlock::Passphrase(_) => SlotKind::Passphrase,
            Unlock::Recovery(_) => SlotKind::Recovery,
        }
    }
}

/// The unwrapped secrets of a vault: the master key (wraps every data-key generation and keys
/// the blind indexes) and the audit signing seed. This is what each key slot wraps.
#[derive(Clone)]
pub struct KeyMaterial {
    pub(crate) master: Secret32,
    pub(crate) signing_seed: Secret32,
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyMaterial(..)")
    }
}

impl KeyMaterial {
    pub fn generate() -> KeyMaterial {
        KeyMaterial {
            master: Secret32::random(),
            signing_seed: Secret32::random(),
        }
    }

    /// `version 1 | signing seed | master key`
    fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(1 + 2 * KEY_LEN);
        v.push(1);
        v.extend_from_slice(self.signing_seed.expose());
        v.extend_from_slice(self.master.expose());
        v
    }

    fn decode(b: &[u8]) -> Result<KeyMaterial, VaultError> {
        if b.len() != 1 + 2 * KEY_LEN || b[0] != 1 {
            return Err(VaultError::Integrity);
        }
        Ok(KeyMaterial {
            signing_seed: Secret32::from_slice(&b[1..1 + KEY_LEN]).ok_or(VaultError::Integrity)?,
            master: Secret32::from_slice(&b[1 + KEY_LEN..]).ok_or(VaultError::Integrity)?,
        })
    }

    /// Wraps a data key of `generation` under the master key.
    pub fn wrap_data_key(&self, vault_id: &str, generation: u32, dek: &Secret32) -> Vec<u8> {
        wrap(
            &self.master,
            &format!("iris-vault/{vault_id}/data-key/{generation}"),
            dek.expose(),
        )
    }

    pub fn unwrap_data_key(
        &self,
        vault_id: &str,
        generation: u32,
        wrapped: &[u8],
    ) -> Result<Secret32, VaultError> {
        let mut plain = unwrap(
            &self.master,
            &format!("iris-vault/{vault_id}/data-key/{generation}"),
            wrapped,
        )
        .map_err(|_| VaultError::Integrity)?;
        let k = Secret32::from_slice(&plain).ok_or(VaultError::Integrity);
        plain.zeroize();
        k
    }
}

/// A wrapped copy of the key material as stored in `key_slots`.
#[derive(Debug, Clone)]
pub struct Slot {
    pub kind: SlotKind,
    pub kdf: Option<(Vec<u8>, KdfParams)>,
    pub wrapped: Vec<u8>,
}

fn label(vault_id: &str, kind: SlotKind) -> String {
    format!("iris-vault/{vault_id}/{}", kind.as_str())
}

/// The KEK for `unlock`, creating a new keyring secret when `create` is set.
fn kek(
    vault_id: &str,
    unlock: &Unlock,
    kdf: Option<&(Vec<u8>, KdfParams)>,
    create: bool,
) -> Result<Secret32, VaultError> {
    match unlock {
        Unlock::Keyring => {
            if create {
                let k = Secret32::random();
                keyring_store(vault_id, &k)?;
                Ok(k)
            } else {
                keyring_load(vault_id)
            }
        }
        Unlock::Passphrase(p) => {
            validate_passphrase(p)?;
            let (salt, params) = kdf.ok_or(VaultError::Integrity)?;
            Ok(params.derive(p.as_bytes(), salt))
        }
        Unlock::Recovery(r) => {
            let raw = RecoveryKey::parse(r)?;
            let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(vault_id.as_bytes()), raw.expose());
            let mut out = [0u8; KEY_LEN];
            hk.expand(b"iris-vault/recovery-kek", &mut out)
                .expect("valid length");
            Ok(Secret32(out))
        }
    }
}

pub fn validate_passphrase(p: &str) -> Result<(), VaultError> {
    if p.chars().count() < 12 {
        return Err(VaultError::invalid("passphrase", "min_length_12"));
    }
    Ok(())
}

/// Wraps `material` for a new slot of the kind `unlock` names (a keyring slot stores a fresh
/// KEK in the keyring).
pub fn seal_slot(
    vault_id: &str,
    unlock: &Unlock,
    material: &KeyMaterial,
) -> Result<Slot, VaultError> {
    let kdf = match unlock {
        Unlock::Passphrase(_) => {
            let mut salt = vec![0u8; 16];
            fill_random(&mut salt);
            Some((salt, KdfParams::KEK))
        }
        _ => None,
    };
    let kek = kek(vault_id, unlock, kdf.as_ref(), true)?;
    let kind = unlock.slot();
    let mut plain = material.encode();
    let wrapped = wrap(&kek, &label(vault_id, kind), &plain);
    plain.zeroize();
    Ok(Slot { kind, kdf, wrapped })
}

pub fn open_slot(vault_id: &str, unlock: &Unlock, slot: &Slot) -> Result<KeyMaterial, VaultError> {
    let kek = kek(vault_id, unlock, slot.kdf.as_ref(), false)?;
    let mut plain = unwrap(&kek, &label(vault_id, slot.kind), &slot.wrapped)?;
    let m = KeyMaterial::decode(&plain);
    plain.zeroize();
    m
}

fn keyring_entry(vault_id: &str) -> Result<keyring::Entry, VaultError> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("vault-{vault_id}")).map_err(keyring_error)
}

fn keyring_error(e: keyring::Error) -> VaultError {
    let what = match e {
        keyring::Error::NoEntry => "the OS keyring has no key for this vault",
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            "the OS keyring is not reachable"
        }
        keyring::Error::NoDefaultStore => "this session has no OS keyring",
        _ => "the OS keyring refused the request",
    };
    tracing::warn!(problem = what, "keyring");
    VaultError::KeyUnavailable(format!(
        "{what}; set IRIS_PASSPHRASE to use the passphrase, or restore with the recovery key"
    ))
}

fn keyring_store(vault_id: &str, k: &Secret32) -> Result<(), VaultError> {
    keyring_entry(vault_id)?
        .set_secret(k.expose())
        .map_err(keyring_error)
}

fn keyring_load(vault_id: &str) -> Result<Secret32, VaultError> {
    let mut s = keyring_entry(vault_id)?
        .get_secret()
        .map_err(keyring_error)?;
    let k = Secret32::from_slice(&s).ok_or(VaultError::WrongKey);
    s.zeroize();
    k
}

/// Removes this vault's keyring entry (after a restore elsewhere, or in tests).
pub fn keyring_delete(vault_id: &str) -> Result<(), VaultError> {
    match keyring_entry(vault_id)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Whether an OS keyring is usable in this session (a probe entry can be written and deleted).
pub fn keyring_available() -> bool {
    let probe = format!("probe-{}", uuid::Uuid::new_v4());
    let Ok(e) = keyring::Entry::new(KEYRING_SERVICE, &probe) else {
        return false;
    };
    let ok = e.set_secret(b"probe").is_ok();
    let _ = e.delete_credential();
    ok
}

/// 256 random bits shown once, as 13 groups of 4 Crockford base32 characters (52 characters,
/// 260 bits: the last 4 are zero). Case, dashes and spaces are ignored on input; I, L and O
/// read as 1, 1 and 0.
#[derive(Clone)]
pub struct RecoveryKey(Secret32);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl RecoveryKey {
    pub fn generate() -> RecoveryKey {
        RecoveryKey(Secret32::random())
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        self.0.expose()
    }

    pub fn display(&self) -> String {
        let mut bits: u32 = 0;
        let mut n = 0;
        let mut chars = Vec::with_capacity(52);
        for &byte in self.0.expose() {
            bits = (bits << 8) | u32::from(byte);
            n += 8;
            while n >= 5 {
                n -= 5;
                chars.push(CROCKFORD[((bits >> n) & 31) as usize]);
            }
        }
        if n > 0 {
            chars.push(CROCKFORD[((bits << (5 - n)) & 31) as usize]);
        }
        chars
            .chunks(4)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join("-")
    }

    pub fn parse(text: &str) -> Result<Secret32, VaultError> {
        let bad = || VaultError::invalid("recovery_key", "format");
        let mut bits: u32 = 0;
        let mut n = 0;
        let mut out = Vec::with_capacity(KEY_LEN + 1);
        let mut count = 0;
        for c in text.chars() {
            let c = c.to_ascii_uppercase();
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            let v = CROCKFORD
                .iter()
                .position(|&x| x as char == c)
                .ok_or_else(bad)? as u32;
            bits = (bits << 5) | v;
            n += 5;
            count += 1;
            if n >= 8 {
                n -= 8;
                out.push((bits >> n) as u8);
            }
        }
        if count != 52 || out.len() != KEY_LEN {
            return Err(bad());
        }
        Secret32::from_slice(&out).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn key_material_round_trips_through_a_slot_and_wrong_secrets_fail() {
        let m = KeyMaterial::generate();
        let pass = Unlock::Passphrase("correct horse battery".into());
        let slot = seal_slot("v1", &pass, &m).unwrap();
        let back = open_slot("v1", &pass, &slot).unwrap();
        assert_eq!(back.master, m.master);
        assert_eq!(back.signing_seed, m.signing_seed);
        let wrong = Unlock::Passphrase("incorrect horse battery".into());
        assert!(matches!(
            open_slot("v1", &wrong, &slot),
            Err(VaultError::WrongKey)
        ));
        // The same slot presented as another vault's does not unwrap.
        assert!(matches!(
            open_slot("v2", &pass, &slot),
            Err(VaultError::WrongKey)
        ));
    }

    #[test]
    fn short_passphrases_are_refused_before_any_work() {
        let m = KeyMaterial::generate();
        let e = seal_slot("v", &Unlock::Passphrase("short".into()), &m).unwrap_err();
        assert!(matches!(e, VaultError::Invalid(f) if f[0].field == "passphrase"));
    }

    #[test]
    fn recovery_key_opens_its_slot_and_tolerates_formatting() {
        let m = KeyMaterial::generate();
        let rk = RecoveryKey::generate();
        let shown = rk.display();
        assert_eq!(shown.len(), 52 + 12);
        let slot = seal_slot("v", &Unlock::Recovery(shown.clone()), &m).unwrap();
        let typed = shown.to_lowercase().replace('-', " ");
        let back = open_slot("v", &Unlock::Recovery(typed), &slot).unwrap();
        assert_eq!(back.master, m.master);
        let other = RecoveryKey::generate().display();
        assert!(open_slot("v", &Unlock::Recovery(other), &slot).is_err());
        assert!(matches!(
            RecoveryKey::parse("ABCD-EFGH"),
            Err(VaultError::Invalid(_))
        ));
    }

    #[test]
    fn data_keys_are_wrapped_per_vault_and_generation() {
        let m = KeyMaterial::generate();
        let dek = Secret32::random();
        let w = m.wrap_data_key("v", 2, &dek);
        assert_eq!(m.unwrap_data_key("v", 2, &w).unwrap(), dek);
        assert!(m.unwrap_data_key("v", 3, &w).is_err());
        assert!(KeyMaterial::generate().unwrap_data_key("v", 2, &w).is_err());
    }

    proptest! {
        #[test]
        fn recovery_key_text_round_trips(bytes in proptest::array::uniform32(any::<u8>())) {
            let rk = RecoveryKey(Secret32(bytes));
            let back = RecoveryKey::parse(&rk.display()).unwrap();
            prop_assert_eq!(back.expose(), &bytes);
        }
    }
}
