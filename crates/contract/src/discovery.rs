//! `GET /v1`: what a provider is and which forms it serves.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// Contract version (`"1"`).
    pub api_version: String,
    /// The member id in the federation's catalogue.
    pub member: String,
    pub name: String,
    pub forms: Vec<FormSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSummary {
    pub id: String,
    pub title: String,
    pub version: u32,
}
