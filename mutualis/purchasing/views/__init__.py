"""Pages of purchasing, one module per area; the URLconf reaches them as `views.x`."""

from mutualis.purchasing.views._common import STAFF
from mutualis.purchasing.views.contracting import (
    commune_contracts,
    contract,
    contracts,
    supplier,
    supplier_edit,
    suppliers,
)
from mutualis.purchasing.views.needs import (
    campaign,
    campaign_answer,
    campaign_close,
    campaign_csv_export,
    campaign_new,
    campaign_xlsx_export,
    campaigns,
)
from mutualis.purchasing.views.offers import (
    catalogue,
    join_request,
    join_requests,
    offer,
    offer_document,
    offer_document_add,
    offer_edit,
    offer_withdraw,
)
from mutualis.purchasing.views.roadmap import commune_roadmap, roadmap_item, roadmaps

__all__ = [
    "STAFF",
    "campaign",
    "campaign_answer",
    "campaign_close",
    "campaign_csv_export",
    "campaign_new",
    "campaign_xlsx_export",
    "campaigns",
    "catalogue",
    "commune_contracts",
    "commune_roadmap",
    "contract",
    "contracts",
    "join_request",
    "join_requests",
    "offer",
    "offer_document",
    "offer_document_add",
    "offer_edit",
    "offer_withdraw",
    "roadmap_item",
    "roadmaps",
    "supplier",
    "supplier_edit",
    "suppliers",
]
