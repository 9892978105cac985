"""Whether a mail really comes from the domain in its From: a valid DKIM signature of it.

Anyone can write any From. Where that matters (mail from an agent's address is sent on to the
customer), the mail must carry a DKIM signature that verifies and whose domain is aligned with
the From domain (the same domain, or one a subdomain of the other: DMARC's relaxed alignment).
Company mail servers (Google Workspace, Microsoft 365, most hosted and self-run ones) sign
every mail they send, and fetching by IMAP keeps the signature.
"""

from __future__ import annotations

import logging

import dkim
from dkim import dnsplug

logger = logging.getLogger(__name__)
MAX_SIGNATURES = 5  # a mail may carry several (the sender's, a mailing list's); a few suffice
DNS_TIMEOUT = 5


def _txt(name: bytes, timeout: int = DNS_TIMEOUT) -> bytes | None:
    # Looked up through the module at call time, so the lookup can be replaced in tests.
    return dnsplug.get_txt(name, timeout=timeout)  # type: ignore[no-any-return]


def _aligned(signer: str, domain: str) -> bool:
    signer, domain = signer.lower().rstrip("."), domain.lower().rstrip(".")
    if not signer or not domain or "." not in signer or "." not in domain:
        return False
    return signer == domain or domain.endswith("." + signer) or signer.endswith("." + domain)


def verified_sender_domain(raw: bytes, from_address: str) -> str:
    """The domain of a valid DKIM signature aligned with the From address, or ""."""
    domain = from_address.rpartition("@")[2]
    if not domain or b"dkim-signature" not in raw[:200_000].lower():
        return ""
    try:
        verifier = dkim.DKIM(raw, timeout=DNS_TIMEOUT)
    except Exception:
        return ""
    count = sum(1 for name, _value in verifier.headers if name.lower() == b"dkim-signature")
    for index in range(min(count, MAX_SIGNATURES)):
        try:
            valid = verifier.verify(idx=index, dnsfunc=_txt)
        except Exception as exc:
            logger.info("DKIM signature %d of mail from %s unreadable: %s", index, domain, exc)
            continue
        signer = (verifier.domain or b"").decode("ascii", "replace")
        if valid and _aligned(signer, domain):
            return signer.lower()
    return ""
