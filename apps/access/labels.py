"""Localized labels of the permission keys.

English and French ship with fleetadmin; an operator retitles a key or adds a language by upserting the
localization `permission.<key>` (upsertLocalization), which wins over the shipped label.
"""
from apps.content.selectors import labels_in
from apps.core.permissions import permission_keys

SHIPPED = {
    "networks.manage": ("Manage networks", "Gérer les réseaux"),
    "vehicles.register": ("Register vehicles", "Enregistrer des véhicules"),
    "maintenances": ("Maintenances", "Maintenances"),
    "unlock.admin": ("Unlock vehicles as an administrator", "Déverrouiller les véhicules en administrateur"),
    "networks.show.private": ("See private networks", "Voir les réseaux privés"),
    "dashboard.access": ("Access the dashboard", "Accéder au tableau de bord"),
    "users.list": ("List users", "Lister les utilisateurs"),
    "demonstration": ("Demonstration mode", "Mode démonstration"),
    "stations": ("Stations", "Stations"),
    "stations.advanced": ("Advanced station data", "Données avancées des stations"),
    "users.permissions": ("Manage user permissions", "Gérer les permissions des utilisateurs"),
    "users.block": ("Block users", "Bloquer des utilisateurs"),
    "users.credits": ("Manage user credits", "Gérer les crédits des utilisateurs"),
    "transactions": ("Transactions", "Transactions"),
    "developer": ("Developer tools", "Outils développeur"),
    "emails.newsletters": ("Newsletters", "Lettres d'information"),
    "emails.transactional": ("Transactional emails", "E-mails transactionnels"),
    "emails.templates": ("Email templates", "Modèles d'e-mails"),
    "users.support": ("User support", "Support utilisateurs"),
    "trips": ("Trips", "Trajets"),
    "stocks.vehicles": ("Vehicles in stock", "Véhicules en stock"),
    "stocks.manage": ("Manage stocks", "Gérer les stocks"),
    "vehicles.manage": ("Manage vehicles", "Gérer les véhicules"),
    "notifications": ("Notifications", "Notifications"),
    "offers": ("Offers", "Offres"),
    "long.term.rentals": ("Long-term rentals", "Locations longue durée"),
    "vehicles.alerts": ("Vehicle alerts", "Alertes véhicules"),
    "terms.of.use": ("Terms of use", "Conditions d'utilisation"),
    "organizations": ("Organizations", "Organisations"),
    "users.badges": ("User badges", "Badges des utilisateurs"),
    "virtual.parking": ("Virtual parkings", "Parkings virtuels"),
    "app.debug": ("Application debugging", "Débogage de l'application"),
    "roles": ("Manage roles", "Gérer les rôles"),
    "feature.beta": ("Beta features", "Fonctionnalités bêta"),
    "faq": ("FAQ", "FAQ"),
    "app.label": ("App labels", "Marques blanches"),
}
LOCALIZATION_PREFIX = "permission."


def permission_labels(lang: str) -> dict[str, str]:
    """key -> label in `lang` (shipped English when neither the operator nor fleetadmin has one)."""
    return labels_in(lang=lang, shipped={key: SHIPPED[key] for key in permission_keys()}, prefix=LOCALIZATION_PREFIX)
