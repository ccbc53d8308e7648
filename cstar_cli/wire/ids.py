"""Id prefixes (D2): every id on the wire is ``prefix + 32 lowercase hex``."""

from __future__ import annotations

TICKET = "tkt_"
CUSTOMER = "cus_"
ARTICLE = "art_"
MESSAGE = "msg_"
WEBHOOK = "whk_"
KEY = "key_"
MEMBER = "mem_"
USER = "usr_"
REQUEST = "req_"
LISTEN_SESSION = "cls_"
DELIVERY = "del_"
CATEGORY = "cat_"
BOSS = "bos_"
EVENT = "evt_"
SLA_RULE = "sla_"
ROUTE = "rte_"
FAULT = "flt_"
POST = "pst_"
TOPIC = "top_"
COMMENT = "cmt_"
SURVEY = "srv_"
HIGH_FIVE = "hfv_"
ONE_UP = "oup_"
CUSTOMER_GROUP = "cgr_"
AUDIT_ENTRY = "aud_"
INVITE = "inv_"

KNOWN_PREFIXES = (
    TICKET,
    CUSTOMER,
    ARTICLE,
    MESSAGE,
    WEBHOOK,
    KEY,
    MEMBER,
    USER,
    REQUEST,
    LISTEN_SESSION,
    DELIVERY,
    CATEGORY,
    BOSS,
    EVENT,
    SLA_RULE,
    FAULT,
    POST,
    TOPIC,
    COMMENT,
    SURVEY,
    HIGH_FIVE,
    ONE_UP,
    CUSTOMER_GROUP,
    AUDIT_ENTRY,
    INVITE,
)
