"""How the generated help desk is distributed: channels, topics, statuses by age, sizes."""

from __future__ import annotations

CHANNEL_WEIGHTS = {
    "email": 34,
    "whatsapp": 22,
    "chat": 15,
    "web": 10,
    "phone": 8,
    "instagram": 4,
    "messenger": 2,
    "telegram": 2,
    "api": 2,
    "visit": 1,
}
TOPIC_WEIGHTS = {
    "entrega": 20,
    "defeito": 10,
    "troca": 8,
    "reembolso": 7,
    "cobranca": 10,
    "plano": 5,
    "acesso": 10,
    "internet": 8,
    "instalacao": 5,
    "cadastro": 5,
    "duvida": 8,
    "elogio": 2,
    "reclamacao": 4,
}
# (max age in days, {status: weight}): older tickets are almost all closed.
STATUS_BY_AGE = (
    (2, {"new": 35, "open": 33, "pending": 15, "on_hold": 3, "solved": 14}),
    (14, {"new": 4, "open": 22, "pending": 20, "on_hold": 6, "solved": 48}),
    (60, {"open": 4, "pending": 3, "on_hold": 1, "solved": 10, "closed": 82}),
    (10**6, {"open": 0.25, "pending": 0.15, "on_hold": 0.1, "solved": 0.3, "closed": 99.2}),
)
# Messages per ticket once an agent has answered (mean about 4.3).
MESSAGE_COUNT_WEIGHTS = {2: 22, 3: 24, 4: 20, 5: 12, 6: 8, 7: 5, 8: 4, 10: 3, 14: 1.5, 20: 0.5}
PRIORITY_WEIGHTS = {1: 15, 2: 60, 3: 20, 4: 5}
TOPIC_TAGS = {
    "entrega": ["entrega", "atraso", "rastreio", "transportadora"],
    "defeito": ["defeito", "garantia", "assistencia-tecnica"],
    "troca": ["troca", "devolucao"],
    "reembolso": ["reembolso", "estorno", "financeiro"],
    "cobranca": ["cobranca", "boleto", "financeiro"],
    "plano": ["plano", "cancelamento", "upgrade"],
    "acesso": ["login", "senha", "app"],
    "internet": ["conexao", "lentidao", "instabilidade"],
    "instalacao": ["instalacao", "visita-tecnica", "agendamento"],
    "cadastro": ["cadastro", "nota-fiscal"],
    "duvida": ["duvida", "pre-venda"],
    "elogio": ["elogio"],
    "reclamacao": ["reclamacao", "procon", "vip"],
}
