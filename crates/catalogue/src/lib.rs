//! Guichet pure core (placeholder until the catalogue issue lands).
