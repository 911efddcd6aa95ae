//! What became of a write (a submission or a reply), and what the citizen may do meanwhile.
//!
//! A write carries an `Idempotency-Key`: the provider keeps the first answer given for a key and
//! replays it when the same content comes again, so **resending the same answers with the same key
//! is always safe**. What is not safe is changing the answers while an earlier attempt with that key
//! may have been written: the provider would refuse the new content (`422
//! idempotency-key-reused`), and minting a new key to get past it would file a second demande if
//! the first attempt had in fact been committed.
//!
//! Hence the rules this module keeps, as plain data so they are tested natively:
//! * before an attempt leaves, the draft records that its key is *used* and its outcome
//!   *unresolved* (a reload or a closed tab in the middle is an unknown outcome too);
//! * an answer from the provider resolves it: success (written), or a refusal that depends on the
//!   content and not on the network (`4xx` other than `408`: answers to correct, sign-in needed…);
//! * no usable answer (timeout, dropped connection, `5xx`, garbage after a `2xx`) leaves it
//!   unresolved: the answers are **frozen** until the provider has been asked whether the key was
//!   used (`GET /v1/idempotency-keys/{key}`): `200` means written, the `404` problem
//!   [`contract::idempotency::UNKNOWN_KEY_PROBLEM`] means not written, anything else leaves it unresolved;
//! * `422 idempotency-key-reused` means a demande exists with other answers: the lookup finds it;
//! * only a resolved write may have its answers changed, and a change after the key was used mints
//!   a new key (the provider may remember the old one with the old answers).

use crate::providers::ProviderError;
use contract::idempotency::UNKNOWN_KEY_PROBLEM;
use contract::{IdempotencyRecord, WriteKind};
use serde::{Deserialize, Serialize};

/// The problem type of a key already used for other content.
pub const KEY_REUSED_PROBLEM: &str = "urn:guichet:problem:idempotency-key-reused";

/// What one attempt to write told us.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt<T> {
    /// The provider accepted the write (or replayed its first answer).
    Written(T),
    /// The provider refused, for a reason that resending the same thing will not change.
    Refused(ProviderError),
    /// The key was already used with other answers: a write exists that is not this one.
    KeyReused,
    /// No answer that can be trusted: the write may or may not have happened.
    Unknown(ProviderError),
}

impl<T> Attempt<T> {
    /// Sorts the result of sending a write. Anything not known to be a refusal is unknown: the
    /// safe side is to freeze the answers and ask.
    pub fn of(result: Result<T, ProviderError>) -> Attempt<T> {
        let refused_status = |status: u16| (400..500).contains(&status) && status != 408;
        match result {
            Ok(value) => Attempt::Written(value),
            Err(ProviderError::Problem(p)) if p.kind == KEY_REUSED_PROBLEM => Attempt::KeyReused,
            Err(e @ ProviderError::Problem(_)) => match &e {
                ProviderError::Problem(p) if refused_status(p.status) => Attempt::Refused(e),
                _ => Attempt::Unknown(e),
            },
            Err(ProviderError::Status(s)) if refused_status(s) => {
                Attempt::Refused(ProviderError::Status(s))
            }
            // Refused before a byte left, or by the provider's authentication before it read
            // anything.
            Err(e @ (ProviderError::SignInRequired | ProviderError::UndeclaredOrigin(_))) => {
                Attempt::Refused(e)
            }
            Err(e) => Attempt::Unknown(e),
        }
    }
}

/// What the provider said about a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The key was used: this is the demande it created or answered.
    Written(Box<IdempotencyRecord>),
    /// The key was never used by this citizen: nothing was written.
    NotWritten,
    /// The question could not be answered (provider down, old provider without the lookup…).
    Failed(ProviderError),
}

impl Lookup {
    /// Sorts the answer to `GET /v1/idempotency-keys/{key}` for a write of `kind`. Only the exact
    /// problem type counts as "not written": a provider that does not know the route answers
    /// another `404`, which proves nothing.
    pub fn of(
        result: Result<IdempotencyRecord, ProviderError>,
        key: &str,
        kind: WriteKind,
    ) -> Lookup {
        match result {
            Ok(record) if record.key == key && record.kind == kind => {
                Lookup::Written(Box::new(record))
            }
            Ok(record) => Lookup::Failed(ProviderError::Undecodable(format!(
                "record for key {} ({:?}) instead of {key} ({kind:?})",
                record.key, record.kind
            ))),
            Err(ProviderError::Problem(p)) if p.status == 404 && p.kind == UNKNOWN_KEY_PROBLEM => {
                Lookup::NotWritten
            }
            Err(e) => Lookup::Failed(e),
        }
    }
}

/// The half of a write's state that is saved with the draft, so a reload knows what happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteState {
    /// Sent with every attempt of the same answers.
    #[serde(rename = "idempotency_key", alias = "key")]
    pub key: String,
    /// The key went out at least once: the provider may remember it with these answers.
    #[serde(default, rename = "key_used")]
    pub used: bool,
    /// An attempt left and no trustworthy answer came back: the answers are frozen.
    #[serde(default)]
    pub unresolved: bool,
}

impl WriteState {
    pub fn new(key: String) -> Self {
        WriteState {
            key,
            used: false,
            unresolved: false,
        }
    }
}

/// Why the answers are frozen.
#[derive(Clone, Debug, PartialEq)]
pub enum Frozen {
    /// The attempt failed this way (timeout, connection lost, provider error…).
    Failed(ProviderError),
    /// The page was closed or reloaded while the attempt was on its way.
    Interrupted,
    /// The provider says the key was used for other answers (`422 idempotency-key-reused`).
    KeyReused,
}

/// Where a write stands, as the citizen sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing on its way; the answers can change and be sent.
    Ready,
    /// An attempt is on its way.
    Sending,
    /// The last attempt's outcome is unknown: answers frozen until the provider says.
    Unresolved {
        why: Frozen,
        /// The provider is being asked.
        checking: bool,
        /// Asking failed this way (the citizen can try again).
        check_failed: Option<ProviderError>,
    },
    /// The provider refused these answers; they can be corrected and sent again.
    Refused(ProviderError),
    /// After an unknown outcome, the provider confirmed nothing was written.
    NotWritten,
    /// The key was used for other answers: a demande exists already (found by the lookup).
    Diverged(Box<IdempotencyRecord>),
    /// Written.
    Written,
}

/// What the caller should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Nothing: the citizen decides.
    Wait,
    /// Ask the provider about the key.
    Lookup,
    /// Written: show the result, forget the draft.
    Done,
}

/// Editing refused: the outcome of an attempt is not known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrozenAnswers;

/// A write's whole state: the saved part and what is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Write {
    pub state: WriteState,
    pub status: Status,
}

impl Write {
    /// A write as found in a draft; an unresolved one must be looked up before anything else.
    pub fn resume(state: WriteState) -> (Write, Next) {
        if state.unresolved {
            let status = Status::Unresolved {
                why: Frozen::Interrupted,
                checking: false,
                check_failed: None,
            };
            (Write { state, status }, Next::Lookup)
        } else {
            let status = Status::Ready;
            (Write { state, status }, Next::Wait)
        }
    }

    /// Whether the answers may change now.
    pub fn may_change(&self) -> bool {
        !self.state.unresolved
            && matches!(
                self.status,
                Status::Ready | Status::Refused(_) | Status::NotWritten
            )
    }

    /// Whether an attempt may start now (the same answers, with the same key).
    pub fn may_send(&self) -> bool {
        match &self.status {
            Status::Sending | Status::Written | Status::Diverged(_) => false,
            Status::Unresolved { checking, .. } => !checking,
            _ => true,
        }
    }

    /// An attempt leaves: returns the key to send, after which the outcome is unresolved until an
    /// answer says otherwise. Save the draft before sending.
    pub fn begin_send(&mut self) -> Option<String> {
        if !self.may_send() {
            return None;
        }
        self.state.used = true;
        self.state.unresolved = true;
        self.status = Status::Sending;
        Some(self.state.key.clone())
    }

    /// The attempt's result.
    pub fn after_send<T>(&mut self, attempt: &Attempt<T>) -> Next {
        match attempt {
            Attempt::Written(_) => {
                self.state.unresolved = false;
                self.status = Status::Written;
                Next::Done
            }
            Attempt::Refused(e) => {
                self.state.unresolved = false;
                self.status = Status::Refused(e.clone());
                Next::Wait
            }
            Attempt::KeyReused => {
                self.status = Status::Unresolved {
                    why: Frozen::KeyReused,
                    checking: false,
                    check_failed: None,
                };
                Next::Lookup
            }
            Attempt::Unknown(e) => {
                self.status = Status::Unresolved {
                    why: Frozen::Failed(e.clone()),
                    checking: false,
                    check_failed: None,
                };
                Next::Lookup
            }
        }
    }

    /// The provider is being asked: returns the key to ask about.
    pub fn begin_lookup(&mut self) -> Option<String> {
        match &mut self.status {
            Status::Unresolved {
                checking: checking @ false,
                ..
            } => {
                *checking = true;
                Some(self.state.key.clone())
            }
            _ => None,
        }
    }

    /// What the provider said about the key. After a `422 idempotency-key-reused`, the record found
    /// is a write of other answers than the citizen's: they diverged.
    pub fn after_lookup(&mut self, lookup: Lookup) -> Next {
        let Status::Unresolved { why, .. } = &self.status else {
            return Next::Wait;
        };
        let diverged = why == &Frozen::KeyReused;
        match lookup {
            Lookup::Written(record) if diverged => {
                self.state.unresolved = false;
                self.status = Status::Diverged(record);
                Next::Wait
            }
            Lookup::Written(_) => {
                self.state.unresolved = false;
                self.status = Status::Written;
                Next::Done
            }
            Lookup::NotWritten => {
                self.state.unresolved = false;
                self.status = Status::NotWritten;
                Next::Wait
            }
            Lookup::Failed(e) => {
                let why = why.clone();
                self.status = Status::Unresolved {
                    why,
                    checking: false,
                    check_failed: Some(e),
                };
                Next::Wait
            }
        }
    }

    /// The citizen changes an answer. Refused while the outcome is unknown; once the key has been
    /// used, the changed answers get a new key (`mint`). Returns whether the key changed.
    pub fn change(&mut self, mint: impl FnOnce() -> String) -> Result<bool, FrozenAnswers> {
        if !self.may_change() {
            return Err(FrozenAnswers);
        }
        if matches!(self.status, Status::Refused(_) | Status::NotWritten) {
            self.status = Status::Ready;
        }
        if self.state.used {
            self.state = WriteState::new(mint());
            return Ok(true);
        }
        Ok(false)
    }

    /// After a divergence, the citizen chooses to send their answers as a new, separate demande.
    pub fn start_again(&mut self, mint: impl FnOnce() -> String) {
        if matches!(self.status, Status::Diverged(_)) {
            self.state = WriteState::new(mint());
            self.status = Status::Ready;
        }
    }
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
