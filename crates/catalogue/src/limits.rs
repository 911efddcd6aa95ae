//! Hard limits on what a catalogue file may hold, shared by the validator and the portal.
//!
//! A federation member may be hostile or simply broken: a fragment of 200 MB or of 20,000 services
//! must be refused before it costs a citizen's phone anything. The portal checks the byte limits
//! while it reads a file (it stops reading past them), the parser checks the counts, and the CLI
//! says the same thing, so a member finds out before publishing.

/// The federation's root `services.toml`, in bytes.
pub const MAX_ROOT_BYTES: usize = 2 * 1024 * 1024;

/// One member's fragment, in bytes.
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;

/// Services one fragment may declare.
pub const MAX_SERVICES_PER_FRAGMENT: usize = 500;

/// Services the root file may declare inline (every member together).
pub const MAX_SERVICES_IN_ROOT: usize = 2_000;
