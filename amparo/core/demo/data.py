"""Portuguese demo content: a fictional internet provider and its customers."""

COMPANY = "Solar Telecom"

TEAMS = [
    ("Suporte Técnico", "Conexão, equipamentos e instabilidade."),
    ("Financeiro", "Boletos, cobranças e notas fiscais."),
    ("Comercial", "Planos, upgrades e novos contratos."),
    ("Instalações", "Visitas técnicas e mudanças de endereço."),
]

# (name, email local part, role, team indexes)
AGENTS = [
    ("Administradora Demo", "admin", "admin", []),
    ("Diego Rocha", "diego.rocha", "supervisor", [0, 3]),
    ("Ana Souza", "ana.souza", "agent", [0]),
    ("Bruno Lima", "bruno.lima", "agent", [0, 3]),
    ("Carla Mendes", "carla.mendes", "agent", [1]),
    ("Eduardo Nunes", "eduardo.nunes", "agent", [1, 2]),
    ("Fernanda Alves", "fernanda.alves", "agent", [2]),
    ("Gustavo Pires", "gustavo.pires", "agent", [3]),
]

ORGANIZATIONS = [
    ("Padaria Pão Dourado", "paodourado.com.br"),
    ("Clínica Bem Viver", "bemviver.med.br"),
    ("Escritório Azevedo Advogados", "azevedoadv.com.br"),
    ("Mercado Boa Compra", "boacompra.com.br"),
    ("Escola Pequeno Saber", "pequenosaber.edu.br"),
    ("Oficina Motor Forte", "motorforte.com.br"),
    ("Hotel Vista Mar", "hotelvistamar.com.br"),
    ("Contabilidade Exata", "contaexata.com.br"),
]

FIRST_NAMES = [
    "Maria",
    "José",
    "Ana",
    "João",
    "Francisca",
    "Antônio",
    "Luiza",
    "Carlos",
    "Juliana",
    "Paulo",
    "Márcia",
    "Pedro",
    "Aline",
    "Lucas",
    "Patrícia",
    "Rafael",
    "Camila",
    "Marcos",
    "Letícia",
    "Thiago",
    "Beatriz",
    "Felipe",
    "Vitória",
    "Rodrigo",
    "Larissa",
    "Gabriel",
    "Sônia",
    "Mateus",
    "Raquel",
    "Vinícius",
]
LAST_NAMES = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Araújo",
    "Melo",
    "Barbosa",
    "Cardoso",
    "Teixeira",
    "Nascimento",
]

# (subject, team index, priority, first customer message, agent replies, customer follow-ups)
SCENARIOS = [
    (
        "Internet caindo várias vezes ao dia",
        0,
        3,
        "Olá, desde segunda-feira minha internet cai umas cinco vezes por dia, principalmente "
        "à noite. Já reiniciei o roteador várias vezes e não resolveu. Trabalho de casa e "
        "preciso de uma solução urgente.",
        [
            "Olá, {first}! Sinto muito pelo transtorno. Verifiquei aqui e seu sinal óptico está "
            "oscilando. Pode me dizer se as luzes PON e LOS do equipamento ficam piscando quando "
            "a conexão cai?",
            "Obrigado pelas informações. Vou agendar uma visita técnica para trocar o conector. "
            "O técnico entrará em contato no dia anterior para confirmar o horário.",
        ],
        [
            "A luz LOS fica vermelha piscando quando cai, e depois de uns minutos volta.",
            "Perfeito, fico no aguardo. Obrigada!",
        ],
    ),
    (
        "Boleto de outubro veio com valor errado",
        1,
        2,
        "Bom dia. Meu plano é de R$ 99,90, mas o boleto de outubro veio com R$ 149,90. Não "
        "contratei nenhum serviço adicional. Podem verificar?",
        [
            "Bom dia, {first}. Verifiquei que foi lançada por engano a taxa de um ponto "
            "adicional. Já cancelei a cobrança e emiti um novo boleto no valor correto, que "
            "segue em anexo no seu e-mail.",
        ],
        ["Recebi o novo boleto, obrigado pela agilidade."],
    ),
    (
        "Quero fazer upgrade para 600 mega",
        2,
        2,
        "Oi! Tenho o plano de 300 mega e gostaria de saber quanto fica o de 600 e se preciso "
        "trocar o roteador.",
        [
            "Oi, {first}! O plano de 600 mega sai por R$ 129,90 por mês e inclui a troca do "
            "roteador por um modelo Wi-Fi 6 sem custo. Posso fazer a alteração hoje mesmo?",
        ],
        ["Pode sim, por favor!"],
    ),
    (
        "Mudança de endereço no dia 15",
        3,
        2,
        "Vou me mudar no dia 15 para a Rua das Acácias, 210, apto 32, no mesmo bairro. Como "
        "faço para transferir a instalação?",
        [
            "Olá, {first}. A transferência é gratuita no mesmo bairro. Agendei a visita para o "
            "dia 15 entre 8h e 12h. Deixe o equipamento desligado e embalado, por favor.",
        ],
        ["Combinado, estarei em casa nesse horário."],
    ),
    (
        "Wi-Fi não alcança o quarto dos fundos",
        0,
        1,
        "O sinal do Wi-Fi é ótimo na sala, mas no quarto dos fundos quase não pega. Vocês "
        "vendem repetidor?",
        [
            "Oi, {first}! Temos o kit mesh com dois pontos por R$ 19,90 ao mês. Antes disso, "
            "tente mudar o roteador para um lugar mais alto e central da casa e me conte se "
            "melhorou.",
        ],
        [],
    ),
    (
        "Nota fiscal para a empresa",
        1,
        2,
        "Precisamos que as notas fiscais saiam com o CNPJ da empresa e não com o meu CPF. "
        "Como alteramos?",
        [
            "Olá, {first}. Atualizei o cadastro para emitir as notas no CNPJ informado. A "
            "alteração vale a partir da próxima fatura.",
        ],
        ["Ótimo, muito obrigado."],
    ),
    (
        "Sem conexão desde ontem à noite",
        0,
        4,
        "Estamos sem internet nenhuma desde ontem às 22h. O roteador está com a luz vermelha "
        "acesa. Temos uma clínica e dependemos da internet para os agendamentos!",
        [
            "{first}, identificamos um rompimento de fibra na sua rua causado por obras. A "
            "equipe já está no local e a previsão de normalização é até as 14h.",
            "A fibra foi reparada. Pode verificar se a conexão voltou, por favor?",
        ],
        ["Voltou! Obrigada pelo retorno rápido."],
    ),
    (
        "Cancelamento do ponto adicional de TV",
        2,
        1,
        "Gostaria de cancelar o ponto adicional de TV, não uso mais.",
        ["Olá, {first}. Cancelamento realizado, sem multa. O valor sai da próxima fatura."],
        [],
    ),
    (
        "Velocidade abaixo do contratado",
        0,
        2,
        "Contratei 500 mega mas nos testes só chega a 120 no cabo. Já testei em dois computadores.",
        [
            "Olá, {first}. Pode me enviar o resultado do teste feito pelo cabo, com o Wi-Fi "
            "desligado? Vou analisar a porta do seu equipamento.",
        ],
        ["Segue o print do teste: 118 mega de download e 240 de upload."],
    ),
    (
        "Segunda via do contrato",
        1,
        1,
        "Podem me mandar a segunda via do contrato assinado?",
        ["Claro, {first}! Enviei o contrato em PDF para o seu e-mail cadastrado."],
        [],
    ),
]

INTERNAL_NOTES = [
    "Cliente já ligou duas vezes sobre isso. Priorizar.",
    "Verificado no sistema de monitoramento: OLT com alarmes na região.",
    "Aguardando retorno do financeiro sobre o estorno.",
    "Cliente empresarial, contrato com SLA de 4 horas.",
]
