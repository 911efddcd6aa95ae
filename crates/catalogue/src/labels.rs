//! The closed lists of the catalogue — themes and life events — with their French labels.
//!
//! Closed lists keep the portal's navigation coherent across collectivities: a town hall cannot
//! invent a theme that only exists in its own file. Each entry has a stable id (used in files and
//! URLs) and a label for citizens; the labels live here, in one place.

macro_rules! closed_list {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable id used in catalogue files and URLs.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ }
            }

            /// The label shown to citizens.
            pub fn label_fr(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_id(id: &str) -> Option<$name> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }

            /// Every id, for error messages.
            pub fn ids() -> Vec<&'static str> {
                vec![$($id,)+]
            }
        }
    };
}

closed_list! {
    /// Themes (close to service-public.fr's), one per service.
    Category {
        CivilStatus = "etat-civil" => "État civil et citoyenneté",
        Family = "famille" => "Famille et petite enfance",
        School = "education" => "École et périscolaire",
        Waste = "dechets" => "Déchets et propreté",
        Water = "eau" => "Eau et assainissement",
        Planning = "urbanisme" => "Urbanisme et logement",
        Transport = "transport" => "Transports et mobilité",
        Solidarity = "solidarite" => "Solidarité, autonomie et handicap",
        Associations = "associations" => "Vie associative",
        Leisure = "loisirs" => "Culture, sport et loisirs",
        Facilities = "equipements" => "Salles et équipements",
        Business = "entreprises" => "Commerces et entreprises",
        Roads = "voirie" => "Voirie, stationnement et sécurité",
    }
}

closed_list! {
    /// Life events ("je déménage"): how citizens think of their needs, across themes.
    LifeEvent {
        Moving = "demenagement" => "Je déménage",
        Birth = "naissance" => "J’attends un enfant",
        Building = "construction" => "Je construis ou je rénove",
        SchoolStart = "scolarite" => "Mon enfant entre à l’école",
        Ageing = "autonomie" => "Je vieillis, je perds en autonomie",
        Disability = "handicap" => "Je vis avec un handicap",
        Death = "deces" => "Un proche est décédé",
        Union = "union" => "Je me marie, je me pacse",
        Association = "association" => "Je crée ou je gère une association",
        Event = "evenement" => "J’organise un événement",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let ids: HashSet<_> = Category::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Category::ALL.len());
        for c in Category::ALL {
            assert_eq!(Category::from_id(c.id()), Some(*c));
            assert!(!c.label_fr().is_empty());
        }
        for e in LifeEvent::ALL {
            assert_eq!(LifeEvent::from_id(e.id()), Some(*e));
        }
        assert_eq!(LifeEvent::from_id("Je déménage"), None);
    }

    #[test]
    fn labels_are_the_french_citizens_read() {
        assert_eq!(LifeEvent::Moving.label_fr(), "Je déménage");
        assert_eq!(LifeEvent::Birth.label_fr(), "J’attends un enfant");
        assert_eq!(Category::Waste.label_fr(), "Déchets et propreté");
    }
}
