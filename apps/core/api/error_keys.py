"""Every `message.key` of a business-rule error (code -6), with what it means.

Kept in one table so the OpenAPI error schema and docs/api.md list the same keys; a test checks that each
key raised by a service is declared here.
"""
BUSINESS_RULE_KEYS = {
    "conflict.duplicate": "Another row with the same unique values was written meanwhile (a lost race).",
    "conflict.reference": "A row the request refers to was deleted meanwhile; retry.",
    "network.already_closed": "The network is already closed.",
    "balancing.already_set": "The cluster is already in the network's balancing.",
    "balancing.not_donor": "The route must start at a donor cluster of the network's balancing.",
    "balancing.not_receiver": "The route must end at a receiver cluster of the network's balancing.",
    "discount.disabled": "The discount was deleted after use; it is kept disabled and cannot change.",
    "discount_code.code_taken": "Another discount code is already this code.",
    "discount_code.used": "The code has been used; it cannot be deleted (set remaining to 0).",
    "pricing.overlap": "Another pricing rule of the network is in force during part of this window.",
    "out_of_order.overlap": "Another out of order of the network covers part of this period.",
    "third_party.already_imported": "This ERP third party was already imported.",
    "app_label.name_taken": "Another app label already has this name.",
    "language.already_exists": "A language with this ISO 639-1 code already exists.",
    "third_party.unknown_country": "The ERP gives a country code that is not ISO 3166-1 alpha-2.",
    "cluster.already_decommissioned": "The cluster is already decommissioned.",
    "cluster.vehicles_docked": "Vehicles are docked in the cluster; it cannot be decommissioned.",
    "cluster.decommissioned": "The cluster is decommissioned; it cannot be changed.",
    "station.already_decommissioned": "The station is already decommissioned.",
    "station.vehicles_docked": "Vehicles are docked in the station; it cannot be decommissioned.",
    "vehicle.already_decommissioned": "The vehicle is already decommissioned.",
    "vehicle.decommissioned": "The vehicle is decommissioned; it cannot be changed.",
    "vehicle.trip_running": "A trip is running (or on hold) on the vehicle.",
    "vehicle.same_network": "The vehicle already belongs to this network.",
    "vehicle.has_external_lock": "The vehicle already has an external lock.",
    "external_lock.serial_taken": "Another external lock has this serial number.",
    "maintenance_type.key_taken": "A maintenance type (in use or retired) already has this key.",
    "maintenance_type.deleted": "The maintenance type is retired; new maintenances cannot use it.",
    "stock.not_empty": "Vehicles are stored in the stock; it cannot be deleted.",
    "role.key_taken": "Another role already has this key.",
    "organizational_unit.name_taken": "Another organizational unit already has this name.",
    "organizational_unit.in_use": "Users still hold grants on this organizational unit that have not expired.",
}
