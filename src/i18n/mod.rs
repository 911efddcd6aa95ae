//! Every text the citizen reads, in one place, so a second language is one new file.
//!
//! Components never hold French literals: they call [`texts()`] and read a field. Texts with values
//! in them are small functions on [`Texts`] so word order can differ between languages.

mod fr;

pub use fr::FR;

/// The texts of the current language.
pub fn texts() -> &'static Texts {
    &FR
}

/// All interface texts of one language.
#[derive(Debug)]
pub struct Texts {
    pub site: SiteTexts,
    pub home: HomeTexts,
    pub not_found: NotFoundTexts,
    pub accessibility: AccessibilityTexts,
    pub errors: ErrorTexts,
    pub chooser: ChooserTexts,
    pub commune: CommuneTexts,
    pub search: SearchTexts,
    pub service: ServiceTexts,
    pub provider_errors: ProviderErrorTexts,
    pub auth: AuthTexts,
    pub account: AccountTexts,
    pub procedure: ProcedureTexts,
    pub receipt: ReceiptTexts,
    pub dashboard: DashboardTexts,
    pub demande: DemandeTexts,
    pub kiosk: KioskTexts,
    pub drafts: DraftTexts,
    pub outcome: OutcomeTexts,
}

#[derive(Debug)]
pub struct ChooserTexts {
    pub heading: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub listbox_label: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub no_match: &'static str,
    pub submit: &'static str,
    pub which_one: &'static str,
    pub choose: &'static str,
    pub header_label: &'static str,
    pub change: &'static str,
    pub error_summary_title: &'static str,
    pub empty: &'static str,
    pub unknown: &'static str,
    pub several: &'static str,
    pub insee_code: &'static str,
}

impl ChooserTexts {
    /// "5 communes proposées" — announced to screen readers as the list changes.
    pub fn count(&self, n: usize) -> String {
        match n {
            0 => self.no_match.to_owned(),
            1 => "1 commune proposée, flèche vers le bas pour la choisir".to_owned(),
            n => format!("{n} communes proposées, flèches haut et bas pour parcourir"),
        }
    }

    pub fn postcode_shared(&self, postcode: &str, n: usize) -> String {
        format!("{n} communes ont le code postal {postcode}. Laquelle est la vôtre ?")
    }

    /// A code that is an INSEE code and a postcode: "14360 est le code INSEE de Leffard et le code
    /// postal d’une autre commune. Laquelle est la vôtre ?"
    pub fn code_both(&self, code: &str, insee_commune: &str, postal: usize) -> String {
        let others = match postal {
            1 => "d’une autre commune".to_owned(),
            n => format!("de {n} autres communes"),
        };
        format!(
            "{code} est le code INSEE de {insee_commune} et le code postal {others}. Laquelle est la vôtre ?"
        )
    }
}

#[derive(Debug)]
pub struct CommuneTexts {
    pub title_prefix: &'static str,
    pub all_themes: &'static str,
    pub all_events: &'static str,
    pub themes_legend: &'static str,
    pub events_legend: &'static str,
    pub filters_heading: &'static str,
    pub uncovered_title: &'static str,
    pub uncovered_body: &'static str,
    pub levels_heading: &'static str,
    pub level_not_covered: &'static str,
    pub level_covered: &'static str,
    pub fragment_problem: &'static str,
    pub unknown_commune_title: &'static str,
    pub unknown_commune_body: &'static str,
    pub loading_territory: &'static str,
    pub online: &'static str,
    pub epci_cc: &'static str,
    pub epci_ca: &'static str,
    pub epci_cu: &'static str,
    pub epci_metropole: &'static str,
}

impl CommuneTexts {
    pub fn services_count(&self, n: usize) -> String {
        match n {
            0 => "aucun service".to_owned(),
            1 => "1 service".to_owned(),
            n => format!("{n} services"),
        }
    }
}

#[derive(Debug)]
pub struct SearchTexts {
    pub label: &'static str,
    pub hint: &'static str,
    pub whole_federation: &'static str,
    pub suggestions: &'static str,
    pub browse_instead: &'static str,
    pub matched_in: &'static str,
    pub in_title: &'static str,
    pub in_keywords: &'static str,
    pub in_life_events: &'static str,
    pub in_theme: &'static str,
    pub in_summary: &'static str,
    pub in_description: &'static str,
    pub approximate_heading: &'static str,
    pub approximate_hint: &'static str,
    pub see_all: &'static str,
}

impl SearchTexts {
    pub fn results(&self, n: usize, query: &str) -> String {
        match n {
            0 => format!("Aucun service ne correspond à « {query} »."),
            1 => format!("1 service correspond à « {query} »."),
            n => format!("{n} services correspondent à « {query} »."),
        }
    }

    /// The count when only approximate results were found.
    pub fn only_approximate(&self, n: usize, query: &str) -> String {
        match n {
            1 => format!(
                "Aucun service ne correspond à tous les mots de « {query} » : 1 résultat approchant."
            ),
            n => format!(
                "Aucun service ne correspond à tous les mots de « {query} » : {n} résultats approchants."
            ),
        }
    }

    /// "« frigo » : synonyme de « réfrigérateur »".
    pub fn synonym(&self, word: &str, of: &str) -> String {
        format!("« {word} » : synonyme de « {of} »")
    }

    /// "« encombrnats » : orthographe approchée".
    pub fn typo(&self, word: &str) -> String {
        format!("« {word} » : orthographe approchée")
    }

    /// "mots absents : « loto », « jazz »".
    pub fn missing(&self, words: &[String]) -> String {
        let quoted: Vec<String> = words.iter().map(|w| format!("« {w} »")).collect();
        match words.len() {
            1 => format!("mot absent : {}", quoted.join(", ")),
            _ => format!("mots absents : {}", quoted.join(", ")),
        }
    }
}

#[derive(Debug)]
pub struct ServiceTexts {
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub provided_by: &'static str,
    pub cost: &'static str,
    pub delay: &'static str,
    pub output: &'static str,
    pub who: &'static str,
    pub evidence_heading: &'static str,
    pub evidence_hint: &'static str,
    pub channels_heading: &'static str,
    pub online_heading: &'static str,
    pub online_button: &'static str,
    pub counter_heading: &'static str,
    pub appointment: &'static str,
    pub phone_heading: &'static str,
    pub mail_heading: &'static str,
    pub help_heading: &'static str,
    pub help_intro: &'static str,
    pub france_services: &'static str,
    pub contact_heading: &'static str,
    pub website: &'static str,
    pub more_info: &'static str,
    pub print: &'static str,
    pub hours: &'static str,
    pub back_to_services: &'static str,
    pub send_to_phone: &'static str,
    pub send_to_phone_hint: &'static str,
    pub qr_label: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
}

#[derive(Debug)]
pub struct SiteTexts {
    pub name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub home_link_label: &'static str,
    pub main_nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_my_procedures: &'static str,
    pub demo_banner: &'static str,
    pub footer_label: &'static str,
    pub footer_accessibility: &'static str,
    pub footer_about: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub title_suffix: &'static str,
    /// A part of the app downloaded on demand (code splitting) could not be fetched.
    pub chunk_failed_title: &'static str,
    pub chunk_failed_body: &'static str,
}

#[derive(Debug)]
pub struct HomeTexts {
    pub page_title: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub federation_heading: &'static str,
    pub members_label: &'static str,
    pub services_label: &'static str,
    pub online_label: &'static str,
    pub catalogue_error_title: &'static str,
    pub catalogue_error_help: &'static str,
}

#[derive(Debug)]
pub struct NotFoundTexts {
    pub title: &'static str,
    pub body: &'static str,
    pub back_home: &'static str,
}

#[derive(Debug)]
pub struct AccessibilityTexts {
    pub title: &'static str,
    pub paragraphs: &'static [&'static str],
}

/// Plain-French explanations of what went wrong while fetching something.
#[derive(Debug)]
pub struct ErrorTexts {
    pub unreachable: &'static str,
    pub timeout: &'static str,
    pub not_found: &'static str,
    pub server: &'static str,
    pub http_other: &'static str,
    pub undecodable: &'static str,
    pub too_large: &'static str,
    pub more_than: &'static str,
    pub not_utf8_at: &'static str,
    pub catalogue_invalid: &'static str,
    pub details_for_maintainers: &'static str,
    pub fragment_help: &'static str,
    pub fragment_pending: &'static str,
}

/// What went wrong talking to a collectivity's service.
#[derive(Debug)]
pub struct ProviderErrorTexts {
    pub unreachable: &'static str,
    pub timeout: &'static str,
    pub refused: &'static str,
    pub garbage: &'static str,
    pub sign_in: &'static str,
    pub undeclared: &'static str,
    pub too_large: &'static str,
    pub invalid_id: &'static str,
    pub failed: &'static str,
}

#[derive(Debug)]
pub struct AuthTexts {
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub my_account: &'static str,
    pub returning_title: &'static str,
    pub returning: &'static str,
    pub failed_title: &'static str,
    pub failed_help: &'static str,
    pub required_title: &'static str,
    pub required_body: &'static str,
}

#[derive(Debug)]
pub struct AccountTexts {
    pub title: &'static str,
    pub profile_heading: &'static str,
    pub profile_intro: &'static str,
    pub drafts_heading: &'static str,
    pub no_drafts: &'static str,
    pub resume: &'static str,
    pub discard: &'static str,
    pub log_heading: &'static str,
    pub log_intro: &'static str,
    pub log_empty: &'static str,
    pub log_clear: &'static str,
    pub log_cleared: &'static str,
    pub log_fields: &'static str,
}

impl AccountTexts {
    /// French label of an OIDC claim.
    pub fn claim_label(&self, claim: &str) -> &'static str {
        match claim {
            "given_name" => "Prénom",
            "family_name" => "Nom",
            "birthdate" => "Date de naissance",
            "email" => "Adresse e-mail",
            "phone_number" => "Téléphone",
            "address" | "address.formatted" => "Adresse",
            "address.street_address" => "Numéro et voie",
            "address.postal_code" => "Code postal",
            "address.locality" => "Commune",
            _ => "Information",
        }
    }
}

#[derive(Debug)]
pub struct ProcedureTexts {
    pub title_prefix: &'static str,
    pub not_online: &'static str,
    pub form_unavailable: &'static str,
    /// The provider's form has an input rule the portal refuses to run (see `FormLoader`).
    pub form_rule_refused: &'static str,
    pub consent_heading: &'static str,
    pub consent_intro: &'static str,
    pub consent_recipient: &'static str,
    pub consent_nothing: &'static str,
    pub consent_yes: &'static str,
    pub consent_no: &'static str,
    pub consent_legend: &'static str,
    pub continue_button: &'static str,
    pub back: &'static str,
    pub review_heading: &'static str,
    pub review_intro: &'static str,
    pub change: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub retry: &'static str,
    pub send_failed_title: &'static str,
    pub kept: &'static str,
    pub draft_resumed: &'static str,
    pub file_added: &'static str,
    pub file_remove: &'static str,
    pub file_lost: &'static str,
    pub street: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    pub optional: &'static str,
    pub not_answered: &'static str,
    pub form_changed: &'static str,
    pub pre_filled: &'static str,
    pub error_prefix: &'static str,
}

impl ProcedureTexts {
    pub fn step(&self, current: usize, total: usize) -> String {
        format!("Étape {current} sur {total}")
    }
}

#[derive(Debug)]
pub struct ReceiptTexts {
    pub title: &'static str,
    pub reference: &'static str,
    pub date: &'static str,
    pub recipient: &'static str,
    pub sent_heading: &'static str,
    pub next_heading: &'static str,
    pub delay: &'static str,
    pub follow: &'static str,
    pub follow_link: &'static str,
    pub qr_label: &'static str,
    pub print: &'static str,
    pub log_not_kept: &'static str,
}

#[derive(Debug)]
pub struct DashboardTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub filters: &'static str,
    pub status_filter: &'static str,
    pub member_filter: &'static str,
    pub all_statuses: &'static str,
    pub all_members: &'static str,
    pub pending: &'static str,
    pub failed: &'static str,
    pub retry: &'static str,
    pub others_fine: &'static str,
    pub new_marker: &'static str,
    pub expected: &'static str,
    pub updated: &'static str,
    pub drafts_heading: &'static str,
    pub drafts_intro: &'static str,
    pub reference: &'static str,
    pub badge_label: &'static str,
    pub no_match: &'static str,
    pub dropped_one: &'static str,
    pub dropped_many: &'static str,
    pub dropped_help: &'static str,
}

impl DashboardTexts {
    /// "2 démarches n’ont pas pu être lues".
    pub fn dropped(&self, n: usize) -> String {
        match n {
            1 => self.dropped_one.to_owned(),
            n => format!("{n} {}", self.dropped_many),
        }
    }

    pub fn count(&self, n: usize) -> String {
        match n {
            0 => "Aucune démarche".to_owned(),
            1 => "1 démarche".to_owned(),
            n => format!("{n} démarches"),
        }
    }

    pub fn changed(&self, n: usize) -> String {
        match n {
            1 => "1 nouveauté".to_owned(),
            n => format!("{n} nouveautés"),
        }
    }
}

#[derive(Debug)]
pub struct DemandeTexts {
    pub title: &'static str,
    pub not_found: &'static str,
    pub unavailable: &'static str,
    pub provider: &'static str,
    pub reference: &'static str,
    pub timeline: &'static str,
    pub messages: &'static str,
    pub no_messages: &'static str,
    pub from_agent: &'static str,
    pub from_you: &'static str,
    pub documents: &'static str,
    pub no_documents: &'static str,
    pub download: &'static str,
    pub expected_heading: &'static str,
    pub reply_heading: &'static str,
    pub reply_label: &'static str,
    pub reply_hint: &'static str,
    pub attach_label: &'static str,
    pub send_reply: &'static str,
    pub sending: &'static str,
    pub reply_sent: &'static str,
    pub reply_failed: &'static str,
    pub reply_empty: &'static str,
    pub new_marker: &'static str,
    pub closed: &'static str,
    pub back: &'static str,
    pub unknown_member: &'static str,
    pub print: &'static str,
    pub cannot_print: &'static str,
    pub print_frame: &'static str,
    pub kiosk_documents: &'static str,
    pub kiosk_qr_label: &'static str,
}

#[derive(Debug)]
pub struct KioskTexts {
    pub bar_label: &'static str,
    pub shared: &'static str,
    pub restart: &'static str,
    pub finish: &'static str,
    pub help: &'static str,
    pub dialog_title: &'static str,
    pub dialog_body: &'static str,
    pub stay: &'static str,
    pub wiping: &'static str,
    pub ended: &'static str,
    pub help_title: &'static str,
    pub help_intro: &'static str,
    pub help_unknown: &'static str,
    pub config_problem: &'static str,
    /// What the kiosk keeps, said instead of "sur cet appareil" texts (nothing outlives a session).
    pub draft_kept: &'static str,
    pub no_drafts: &'static str,
    pub drafts_intro: &'static str,
    pub log_intro: &'static str,
    pub log_empty: &'static str,
}

impl KioskTexts {
    pub fn countdown(&self, seconds: u32) -> String {
        match seconds {
            0 | 1 => "Effacement dans 1 seconde.".to_owned(),
            n => format!("Effacement dans {n} secondes."),
        }
    }
}

/// Drafts and what the device could keep (helper "procedure").
#[derive(Debug)]
pub struct DraftTexts {
    pub store_full: &'static str,
    pub store_unavailable: &'static str,
    pub store_too_large: &'static str,
    pub store_not_verified: &'static str,
    pub store_refused: &'static str,
    pub saved: &'static str,
    pub not_saved: &'static str,
    pub not_saved_help: &'static str,
    pub expired_title: &'static str,
}

impl DraftTexts {
    /// "Brouillon non enregistré : {reason}."
    pub fn not_saved_because(&self, reason: &str) -> String {
        format!("{} : {reason}.", self.not_saved)
    }

    /// A file that could not be kept with the draft.
    pub fn file_not_kept(&self, name: &str, reason: &str) -> String {
        format!(
            "{} : le fichier « {name} » n’a pas pu être gardé sur cet appareil ({reason}).",
            self.not_saved
        )
    }

    /// One draft removed because it was too old.
    pub fn expired(&self, title: &str, started: &str, days: u32) -> String {
        format!(
            "Votre brouillon « {title} » (dernière modification le {started}) a été effacé : les brouillons sont gardés {days} jours sur cet appareil."
        )
    }

    /// Until when a draft is kept.
    pub fn kept_until(&self, date: &str) -> String {
        format!("Gardé sur cet appareil jusqu’au {date}")
    }
}

/// A write whose outcome is unknown, checked with the provider (helper "procedure"). `what` is
/// "votre demande" or "votre réponse" (both feminine).
#[derive(Debug)]
pub struct OutcomeTexts {
    pub submission: &'static str,
    pub reply: &'static str,
    pub interrupted: &'static str,
    pub not_completed: &'static str,
    pub key_reused: &'static str,
    pub checking: &'static str,
    pub check_failed: &'static str,
    pub check_again: &'static str,
    pub resend_safe: &'static str,
    pub found: &'static str,
    pub diverged_title: &'static str,
    pub see_existing: &'static str,
    pub send_as_new: &'static str,
    pub discard: &'static str,
}

impl OutcomeTexts {
    pub fn unresolved_title(&self, what: &str) -> String {
        format!("Nous ne savons pas encore si {what} est arrivée")
    }

    pub fn frozen(&self, what: &str, member: &str) -> String {
        format!(
            "Pour que {what} ne soit jamais enregistrée deux fois, vos réponses ne peuvent pas être modifiées tant que {member} n’a pas confirmé si elle est arrivée. Rien n’est perdu."
        )
    }

    pub fn not_written_title(&self, what: &str) -> String {
        format!("{} n’est pas arrivée", capitalised(what))
    }

    pub fn not_written_body(&self, member: &str) -> String {
        format!(
            "{member} confirme ne pas l’avoir reçue. Vous pouvez modifier vos réponses, ou l’envoyer de nouveau."
        )
    }

    pub fn diverged_body(&self, reference: &str) -> String {
        format!(
            "Elle porte le numéro {reference}, avec des réponses différentes de celles affichées ici. Vérifiez-la avant d’envoyer quoi que ce soit d’autre."
        )
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
