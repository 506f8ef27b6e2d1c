"""Danish demo data from Faker (``da_DK``), the same for the same seed.

``seed_organization`` adds contacts and products; ``year_of_trade.book_year``
books a whole year of trade with them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .resources.contacts import CONTACTS, ContactCreateModel
from .resources.products import PRODUCTS, ProductData
from .world import Organization

if TYPE_CHECKING:
    from faker import Faker


_PRODUCT_WORDS = (
    "Konsulenttime", "Kaffebønner", "Rengøring", "Webdesign", "Montering", "Kontorstol",
    "Bogføring", "Årsrapport", "Kursus", "Fragt", "Reparation", "Licens", "Support",
    "Skrivebord", "Tømrerarbejde", "Vinduespudsning",
)
_UNITS = ("hours", "parts", "day", "month", "package", "session")


def faker_for(organization: Organization, stream: str = "") -> Faker:
    """A Danish Faker seeded from the world's seed and the organization's id
    (and ``stream``, so separate uses of one organization draw separate data).

    Faker is imported here, not at the top: it costs a fifth of the fake's
    import time and only seeding needs it."""
    from faker import Faker

    fake = Faker("da_DK")
    suffix = f":{stream}" if stream else ""
    fake.seed_instance(f"{organization.world.seed}:{organization.id}{suffix}")
    return fake


def seed_organization(organization: Organization, *, contacts: int = 0, products: int = 0) -> None:
    """Add ``contacts`` contacts and ``products`` products, as a user of Dinero would have."""
    fake = faker_for(organization)
    add_contacts(organization, fake, contacts)
    add_products(organization, fake, products)


def add_contacts(organization: Organization, fake: Faker, count: int) -> list[str]:
    table, new_guid = organization.table(CONTACTS), organization.world.new_guid
    return [table.insert(new_guid(), _contact(fake)).key for _ in range(count)]


def add_products(organization: Organization, fake: Faker, count: int, first_number: int = 1) -> list[str]:
    table, new_guid = organization.table(PRODUCTS), organization.world.new_guid
    return [table.insert(new_guid(), _product(fake, first_number + index)).key for index in range(count)]


def _contact(fake: Faker) -> ContactCreateModel:
    is_person = fake.random.random() < 0.3
    name = f"{fake.first_name()} {fake.last_name()}" if is_person else fake.company()
    return ContactCreateModel(
        Name=name,
        Street=fake.street_address(),
        ZipCode=fake.postcode(),
        City=fake.city(),
        CountryKey="DK",
        Phone=fake.phone_number(),
        Email=fake.email(),
        AttPerson=None if is_person else f"{fake.first_name()} {fake.last_name()}",
        VatNumber=None if is_person else f"DK{fake.random_number(digits=8, fix_len=True)}",
        IsPerson=is_person,
        PaymentConditionType="Netto",
        PaymentConditionNumberOfDays=fake.random.choice((8, 14, 30)),
    )


def _product(fake: Faker, number: int) -> ProductData:
    return ProductData(
        ProductNumber=f"{number:04d}",
        Name=fake.random.choice(_PRODUCT_WORDS),
        BaseAmountValue=Decimal(fake.random.randrange(50, 500_000)) / 100,
        Quantity=Decimal(1),
        AccountNumber=1000,
        Unit=fake.random.choice(_UNITS),
        ExternalReference=None,
        Comment=None,
    )
