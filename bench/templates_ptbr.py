"""pt-BR message templates by topic. Placeholders are filled once per ticket.

Placeholders: {nome} {agente} {produto} {pedido} {cidade} {plano} {valor} {data} {pagamento}
{transportadora} {dia} {protocolo} {dias} {cep}.
"""

from __future__ import annotations

# topic -> (subjects, problem statements)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "entrega": (
        (
            "Pedido {pedido} não chegou",
            "Atraso na entrega do pedido {pedido}",
            "Onde está minha encomenda?",
            "Entrega prevista para {data} não aconteceu",
            "Rastreio parado há {dias} dias",
        ),
        (
            "Comprei um(a) {produto} no dia {data} e até agora não recebi. O rastreio da {transportadora} não atualiza há {dias} dias.",
            "O pedido {pedido} consta como entregue, mas ninguém aqui em casa recebeu nada.",
            "A previsão de entrega era {data} e o pedido {pedido} ainda aparece como 'em trânsito' para {cidade}.",
            "O entregador da {transportadora} veio no {dia} e disse que o endereço não existia, mas o CEP {cep} está correto.",
        ),
    ),
    "defeito": (
        (
            "{produto} com defeito",
            "Produto chegou quebrado",
            "Problema com meu(minha) {produto}",
            "{produto} parou de funcionar",
            "Defeito de fábrica - pedido {pedido}",
        ),
        (
            "Meu(minha) {produto} parou de funcionar depois de {dias} dias de uso. Já tentei desligar da tomada e ligar de novo.",
            "O(a) {produto} chegou com a caixa amassada e uma peça solta por dentro.",
            "O(a) {produto} faz um barulho estranho desde o primeiro dia e agora não liga mais.",
            "Recebi o(a) {produto} do pedido {pedido} com a tela riscada.",
        ),
    ),
    "troca": (
        (
            "Quero trocar o(a) {produto}",
            "Solicitação de troca - pedido {pedido}",
            "Troca por outro modelo",
            "Devolução do pedido {pedido}",
        ),
        (
            "Gostaria de trocar o(a) {produto} por outro modelo, ainda estou dentro do prazo de 7 dias.",
            "Quero devolver o pedido {pedido}, o produto não atendeu o que eu esperava.",
            "Comprei o tamanho errado e preciso trocar. Como faço a postagem pela {transportadora}?",
        ),
    ),
    "reembolso": (
        (
            "Reembolso não recebido",
            "Estorno do pedido {pedido}",
            "Cadê meu dinheiro de volta?",
            "Reembolso de {valor}",
        ),
        (
            "Cancelei o pedido {pedido} no dia {data} e até hoje o estorno de {valor} não apareceu no meu {pagamento}.",
            "Fiz a devolução há {dias} dias e me prometeram o reembolso em até 5 dias úteis.",
            "O valor de {valor} foi cobrado duas vezes no {pagamento}. Preciso do estorno de uma das cobranças.",
        ),
    ),
    "cobranca": (
        (
            "Cobrança indevida",
            "Fatura com valor errado",
            "Cobrança em duplicidade",
            "Não reconheço a cobrança de {valor}",
            "Boleto vencido - segunda via",
        ),
        (
            "Apareceu uma cobrança de {valor} na minha fatura que eu não reconheço.",
            "Minha fatura deste mês veio com {valor} a mais do que o plano {plano} que contratei.",
            "Preciso da segunda via do boleto, o anterior venceu no dia {data}.",
            "Paguei por {pagamento} no dia {data} mas o sistema continua mostrando a conta em aberto.",
        ),
    ),
    "plano": (
        (
            "Mudança de plano",
            "Quero migrar para o plano {plano}",
            "Dúvida sobre o plano {plano}",
            "Cancelamento do plano",
        ),
        (
            "Gostaria de mudar para o plano {plano}. Qual a diferença de valor e quando passa a valer?",
            "Quero cancelar minha assinatura. Existe multa de fidelidade?",
            "O plano {plano} inclui suporte no fim de semana? Não encontrei essa informação no site.",
        ),
    ),
    "acesso": (
        (
            "Não consigo acessar minha conta",
            "Esqueci minha senha",
            "Conta bloqueada",
            "Erro ao fazer login",
            "Código de verificação não chega",
        ),
        (
            "Quando tento entrar no aplicativo aparece 'usuário ou senha inválidos', mas tenho certeza que a senha está certa.",
            "Pedi a redefinição de senha três vezes e o e-mail nunca chega.",
            "Minha conta foi bloqueada depois de algumas tentativas e não consigo desbloquear.",
            "O código por SMS não chega no meu celular, já conferi o número cadastrado.",
        ),
    ),
    "internet": (
        (
            "Internet caindo toda hora",
            "Sem conexão desde {dia}",
            "Velocidade muito abaixo do contratado",
            "Wi-Fi instável",
        ),
        (
            "Contratei o plano {plano} mas a velocidade não passa de 50 Mega à noite.",
            "Estou sem internet desde {dia} e trabalho de casa. Já reiniciei o roteador várias vezes.",
            "A conexão cai várias vezes por dia, sempre por uns 5 minutos. Moro em {cidade}.",
        ),
    ),
    "instalacao": (
        (
            "Agendamento de instalação",
            "Técnico não compareceu",
            "Reagendar visita técnica",
            "Instalação do(a) {produto}",
        ),
        (
            "A visita técnica estava marcada para {dia} de manhã e ninguém apareceu.",
            "Preciso reagendar a instalação do(a) {produto}, não vou estar em casa no dia {data}.",
            "Gostaria de saber se a instalação do(a) {produto} está inclusa no valor da compra.",
        ),
    ),
    "cadastro": (
        (
            "Atualizar meus dados",
            "Alteração de endereço",
            "Mudança de titularidade",
            "Nota fiscal com CPF errado",
        ),
        (
            "Mudei de endereço e preciso atualizar o cadastro. Novo CEP: {cep}, em {cidade}.",
            "A nota fiscal do pedido {pedido} saiu com o CPF errado e preciso dela para reembolso da empresa.",
            "Quero transferir a titularidade da conta para o meu marido/minha esposa.",
        ),
    ),
    "duvida": (
        (
            "Dúvida sobre o(a) {produto}",
            "Informação sobre garantia",
            "Como funciona o frete grátis?",
            "Prazo de entrega para {cidade}",
            "Vocês emitem nota fiscal?",
        ),
        (
            "O(a) {produto} tem garantia estendida? Por quanto tempo?",
            "Qual o prazo de entrega para {cidade}? Preciso receber até {data}.",
            "O frete grátis vale para compras acima de qual valor?",
            "Vocês têm loja física em {cidade} ou só vendem pela internet?",
        ),
    ),
    "elogio": (
        ("Elogio ao atendimento", "Obrigado pelo suporte", "Atendimento excelente"),
        (
            "Só queria agradecer pelo atendimento de ontem, resolveram meu problema rapidinho.",
            "Quero elogiar o(a) atendente que me ajudou com o pedido {pedido}, foi muito atencioso(a).",
        ),
    ),
    "reclamacao": (
        (
            "Reclamação formal",
            "Péssimo atendimento",
            "Vou registrar no Procon",
            "Ninguém resolve meu problema",
        ),
        (
            "Já é a quarta vez que entro em contato sobre o pedido {pedido} e ninguém resolve. Protocolo anterior {protocolo}.",
            "Fiquei {dias} dias esperando retorno e até agora nada. Se não resolverem vou abrir reclamação no Procon.",
            "Fui muito mal atendido(a) na loja de {cidade} no {dia}.",
        ),
    ),
}

OPENINGS = (
    "Olá,",
    "Oi, bom dia!",
    "Boa tarde.",
    "Boa noite, tudo bem?",
    "Prezados,",
    "Olá, equipe de suporte.",
    "Oi pessoal,",
    "Bom dia, preciso de ajuda.",
    "",
    "",
)

DETAILS = (
    "",
    "",
    "Segue o número do pedido: {pedido}.",
    "Já liguei no 0800 mas a ligação caiu.",
    "Comprei pelo site no dia {data}, pagamento via {pagamento}.",
    "Moro em {cidade}, CEP {cep}.",
    "Estou anexando a foto do problema.",
    "Preciso de uma solução urgente, por favor.",
    "Já abri o protocolo {protocolo} antes, mas não tive retorno.",
    "Posso ser contatado(a) por WhatsApp também.",
    "Meu horário disponível é de manhã.",
    "Isso está me causando um transtorno enorme.",
)

CLOSINGS = (
    "Obrigado(a).",
    "Aguardo retorno.",
    "Att.,\n{nome}",
    "Obrigado desde já!",
    "Abraços,\n{nome}",
    "Fico no aguardo.",
    "Grato(a),\n{nome}",
    "",
)

AGENT_REPLIES = (
    "Olá, {nome}! Obrigado por entrar em contato. Já verifiquei o pedido {pedido} e abri uma solicitação junto à {transportadora}. Retorno em até 2 dias úteis.",
    "Oi, {nome}, tudo bem? Sinto muito pelo transtorno. Para seguir com a análise, pode me enviar uma foto da etiqueta do(a) {produto}?",
    "{nome}, bom dia! O estorno de {valor} foi solicitado hoje e deve aparecer no seu {pagamento} em até 2 faturas.",
    "Olá, {nome}. Conferi aqui e o pagamento foi identificado. Sua conta já está regularizada.",
    "Oi, {nome}! A troca foi aprovada. Você vai receber por e-mail o código de postagem para a {transportadora}.",
    "Bom dia, {nome}. Reagendei a visita técnica para {dia}, entre 8h e 12h. Posso ajudar em algo mais?",
    "Olá! Enviei um link de redefinição de senha para o seu e-mail. Ele vale por 30 minutos. Confira também a caixa de spam.",
    "{nome}, a garantia do(a) {produto} é de 12 meses pelo fabricante. Você pode levar em qualquer assistência autorizada em {cidade}.",
    "Obrigado pelo contato, {nome}. O prazo de entrega para {cidade} é de {dias} dias úteis após a confirmação do pagamento.",
    "Oi, {nome}. Fiz a alteração para o plano {plano}; ela passa a valer a partir da próxima fatura.",
    "Olá, {nome}! Identificamos uma instabilidade na sua região ({cidade}). A equipe técnica já está trabalhando e a previsão de normalização é hoje à noite.",
    "{nome}, peço desculpas pela demora. Escalei seu caso para a supervisão com prioridade. Protocolo {protocolo}.",
    "Oi, {nome}! Ficamos muito felizes com o seu elogio, vou repassar para a equipe. Obrigado!",
    "Olá, {nome}. A nota fiscal corrigida foi emitida e enviada para o seu e-mail.",
    "Oi, {nome}, tudo bem? Ainda precisa de ajuda com este atendimento? Se não tivermos retorno em 3 dias, vamos encerrá-lo.",
    "{nome}, conseguimos localizar o pedido {pedido}: ele estava retido no centro de distribuição e saiu para entrega hoje.",
    "Olá, {nome}. Atualizei seu endereço para o CEP {cep}. As próximas entregas já irão para o novo endereço.",
    "Oi, {nome}! Seu reembolso de {valor} foi processado. O comprovante segue em anexo.",
)

AGENT_SIGNOFFS = (
    "\n\nAtenciosamente,\n{agente}\nEquipe de Atendimento",
    "\n\nAbraço,\n{agente}",
    "\n\n{agente} - Suporte",
    "",
)

CUSTOMER_FOLLOWUPS = (
    "Obrigado, {agente}! Vou aguardar.",
    "Ainda não recebi nada, alguma novidade?",
    "Segue a foto que você pediu.",
    "Deu certo, muito obrigado(a)!",
    "Recebi o código, vou postar amanhã.",
    "O problema voltou a acontecer hoje de manhã.",
    "Já se passaram {dias} dias e nada mudou.",
    "Pode ser no {dia} à tarde?",
    "Perfeito, pode encerrar o chamado.",
    "Não encontrei o e-mail nem na caixa de spam.",
    "O estorno apareceu, obrigado!",
    "Ok, fico no aguardo então.",
    "Vocês podem me ligar? Meu número está no cadastro.",
    "Continuo sem conseguir acessar.",
    "Isso não resolve meu problema, quero falar com um supervisor.",
)

INTERNAL_NOTES = (
    "Cliente já ligou 3 vezes sobre isso. Priorizar.",
    "Aberto chamado com a {transportadora}, protocolo {protocolo}.",
    "Verificado no ERP: pagamento confirmado em {data}.",
    "Aguardando retorno do financeiro sobre o estorno de {valor}.",
    "@supervisão favor aprovar a troca fora do prazo.",
    "Cliente VIP, plano {plano}.",
    "Lote do(a) {produto} com vários relatos de defeito, avisar qualidade.",
    "Técnico confirmou visita para {dia}.",
    "Possível fraude no {pagamento}, encaminhado para análise.",
    "Cliente pediu retorno somente por WhatsApp.",
)
