//! Guichet's pure core: what the federation offers, what applies where a citizen lives, and what
//! matches what they typed.
//!
//! No web, async or file-system dependency in the default build: the same code runs in the
//! `catalogue` CLI, in CI and, compiled to WebAssembly, in the citizen's browser — so the portal and
//! the validator can never disagree about a catalogue.
//!
//! * [`parse`] reads the root catalogue and members' fragments, with a [`Diagnostic`] (file, line,
//!   column, field, message, fix) for every problem.
//! * [`validate`] checks what spans entries and files, including official codes against the COG.
//! * [`territory`] is the official territory (communes, EPCI, départements, régions) and commune
//!   search; [`coverage`] derives which members serve a commune.
//! * [`search`] finds services from what a citizen types.
//! * [`model`], [`labels`] and [`values`] are the types, closed lists and value syntaxes;
//!   [`limits`] the sizes no file may exceed.

pub mod coverage;
pub mod diagnostic;
pub mod labels;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod search;
pub mod territory;
pub mod validate;
pub mod values;

pub use diagnostic::{Diagnostic, FieldPath, Owner};
pub use model::{Catalogue, Member, MemberKind, Service};
pub use parse::{Locations, ParseOptions, Parsed, parse_fragment, parse_root};
pub use territory::Territory;
