//! French texts (the reference language of the interface).

use super::*;

pub static FR: Texts = Texts {
    site: SiteTexts {
        name: "Guichet",
        tagline: "Vos démarches locales, au même endroit",
        skip_to_content: "Aller au contenu",
        home_link_label: " — retour à l’accueil",
        main_nav_label: "Menu principal",
        nav_home: "Accueil",
        nav_my_procedures: "Mes démarches",
        demo_banner: "Site de démonstration : les collectivités sont réelles, les services et les données sont fictifs.",
        footer_label: "Pied de page",
        footer_accessibility: "Accessibilité : partiellement conforme",
        footer_about: "Guichet est un logiciel libre pour les communes, intercommunalités et départements.",
        loading: "Chargement…",
        retry: "Réessayer",
        title_suffix: " — Guichet",
    },
    home: HomeTexts {
        page_title: "Accueil",
        title: "Vos démarches auprès de votre commune, de votre intercommunalité et de votre département",
        lead: "Trouvez au même endroit les services de toutes les collectivités qui s’occupent de vous, faites vos démarches en ligne avec un seul compte et suivez-les toutes ici.",
        federation_heading: "Les collectivités réunies dans ce guichet",
        members_label: "collectivités",
        services_label: "services",
        online_label: "démarches en ligne",
        catalogue_error_title: "La liste des services n’a pas pu être chargée",
        catalogue_error_help: "Vous pouvez réessayer dans quelques instants. Si le problème continue, contactez directement votre mairie.",
    },
    not_found: NotFoundTexts {
        title: "Page introuvable",
        body: "L’adresse saisie ne correspond à aucune page. Elle a peut-être été déplacée, ou une faute de frappe s’est glissée dans l’adresse.",
        back_home: "Revenir à l’accueil",
    },
    accessibility: AccessibilityTexts {
        title: "Déclaration d’accessibilité",
        paragraphs: &[
            "Guichet s’engage à rendre ses services accessibles conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005 et au référentiel général d’amélioration de l’accessibilité (RGAA 4.1).",
            "État de conformité : partiellement conforme. Chaque page est contrôlée automatiquement (axe-core) et l’ensemble du parcours est utilisable au clavier ; un audit complet reste à conduire.",
            "Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez la collectivité responsable du service : ses coordonnées figurent sur la page du service.",
        ],
    },
    errors: ErrorTexts {
        unreachable: "Le serveur ne répond pas. Vérifiez votre connexion à Internet",
        timeout: "Le serveur met trop de temps à répondre",
        not_found: "Le document demandé est introuvable sur le serveur",
        server: "Le serveur a rencontré une erreur",
        http_other: "Le serveur a refusé la demande",
        undecodable: "La réponse du serveur est illisible",
        unreadable_body: "corps de réponse illisible",
        catalogue_invalid: "La liste des services contient des erreurs",
    },
};
