//! Provider API contract (placeholder).
