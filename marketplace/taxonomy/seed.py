"""The starting taxonomy, taken from the 2023 work plan (see shared/seed). Data, not code: the
migration and the demo loader both read these lists."""

# (slug, 中文, English, extra domain words that should stay one token when segmenting)
INDUSTRY_FIELDS = [
    ("aluminium", "铝基轻量化", "Aluminium lightweighting", ["铝基", "轻量化", "铝合金", "先进铝基材料", "铝型材"]),
    ("smart-chemicals", "智慧化工", "Smart chemical industry", ["智慧化工", "化工园区", "精细化工"]),
    ("low-carbon", "碳达峰碳中和", "Carbon peak & neutrality", ["碳达峰", "碳中和", "绿色低碳", "碳捕集"]),
    ("eco-environment", "生态环保", "Ecology & environment", ["生态环保", "污水处理", "固废"]),
    ("health", "医养健康", "Health & elderly care", ["医养健康", "康养"]),
    ("work-safety", "安全生产", "Work safety", ["安全生产", "安全监测"]),
    ("food-drug-safety", "食品药品安全", "Food & drug safety", ["食品安全", "药品安全", "食品药品"]),
    ("marine", "海洋", "Marine economy", ["海洋", "海水淡化", "盐碱地"]),
    ("seed-industry", "农业良种与种业", "Seeds & breeding", ["良种", "种业", "育种"]),
    ("rural-revitalization", "乡村振兴", "Rural revitalization", ["乡村振兴", "智慧农业"]),
    ("high-end-equipment", "高端装备", "High-end equipment", ["高端装备", "智能制造", "数控"]),
    ("new-materials", "新材料", "New materials", ["新材料", "复合材料", "纳米材料"]),
    ("textiles", "纺织", "Textiles", ["纺织", "家纺", "功能性纤维"]),
    ("new-it", "新一代信息技术", "Next-generation IT", ["新一代信息技术", "工业互联网", "人工智能", "大数据"]),
]

# (slug, 中文, English, approximate centre latitude, longitude) — used for county proximity in matching.
COUNTIES = [
    ("bincheng", "滨城区", "Bincheng District", 37.43, 118.02),
    ("zhanhua", "沾化区", "Zhanhua District", 37.70, 118.13),
    ("huimin", "惠民县", "Huimin County", 37.49, 117.51),
    ("yangxin", "阳信县", "Yangxin County", 37.64, 117.58),
    ("wudi", "无棣县", "Wudi County", 37.77, 117.62),
    ("boxing", "博兴县", "Boxing County", 37.15, 118.13),
    ("zouping", "邹平市", "Zouping City", 36.86, 117.74),
    ("high-tech-zone", "滨州高新区", "Binzhou High-tech Zone", 37.35, 118.11),
    ("eco-dev-zone", "滨州经济技术开发区", "Binzhou Economic & Technological Development Zone", 37.46, 117.96),
    ("beihai", "北海经济开发区", "Beihai Economic Development Zone", 38.05, 117.90),
]
