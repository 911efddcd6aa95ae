//! Reference provider (placeholder).
