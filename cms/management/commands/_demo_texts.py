"""Listing texts for load_demo written the way different people write them: several openings, layouts
and closings per kind, picked by the item's own seeded generator, so no two pages read like one form
filled in twice. Also patent numbers in the real CNIPA format, with a correct check digit."""
# ruff: noqa: E501  (long Chinese text lines; ruff counts each CJK character as two columns)

from __future__ import annotations

import random

from marketplace.listings.choices import IPType

from ._demo_data import Topic

# CNIPA application numbers since 2003: year (4) + kind (1: invention, 2: utility model) + serial (7),
# then a check digit: the 12 digits weighted 2,3,4,5,6,7,8,9,2,3,4,5, sum mod 11, 10 written as X.
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_number(year: int, kind: int, rng: random.Random) -> str:
    digits = f"{year}{kind}{rng.randint(0, 9_999_999):07d}"
    check = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


def ip_items(topic: Topic, rng: random.Random) -> list[tuple[str, str, str]]:
    """(type, number, title) of 1–3 rights; patent titles follow the claim-title styles examiners see."""
    k = topic.keywords
    invention_titles = [f"一种{k[0]}的制备方法", f"一种基于{k[1]}的{k[0]}控制方法", f"{k[0]}及其制备方法和应用",
                        f"一种{k[1]}工艺及其在{k[0]}中的应用", f"一种用于{k[0]}的{k[-1]}检测方法"]
    utility_titles = [f"一种{k[0]}装置", f"一种{k[1]}用夹持组件", f"一种便于维护的{k[0]}设备",
                      f"一种{k[-1]}在线监测装置"]
    rng.shuffle(invention_titles)
    items = []
    for i in range(rng.choice((1, 1, 2, 3))):
        year = rng.randint(2017, 2022)
        if topic.field == "new-it" and i == 0:
            items.append((IPType.SOFTWARE, f"{year}SR{rng.randint(100000, 1999999):07d}",
                          f"{k[0]}{rng.choice(('管理', '监测', '分析'))}软件V{rng.choice(('1.0', '2.0', '1.2'))}"))
        elif topic.field == "seed-industry" and i == 0:
            items.append((IPType.PLANT_VARIETY, f"CNA{year}{rng.randint(1000, 9999)}.{rng.randint(1, 9)}",
                          f"{k[0]}新品种“滨{rng.choice('丰农科优')}{rng.randint(1, 30)}号”"))
        elif i < 2:
            items.append((IPType.INVENTION_PATENT, patent_number(year, 1, rng), invention_titles[i]))
        else:
            items.append((IPType.UTILITY_MODEL, patent_number(year, 2, rng), rng.choice(utility_titles)))
    return items


def achievement_summary(t: Topic, *, org: str, field: str, application: str, stage: str, patents: int,
                        rng: random.Random) -> str:
    k = t.keywords
    return rng.choice((
        f"{t.tech}。{t.effect}。目前已完成{stage}验证，适用于{application}。",
        f"本成果{t.tech}，{t.effect}。技术处于{stage}阶段，可在{application}推广应用。",
        f"针对{field}领域{k[0]}、{k[1]}方面的技术瓶颈，{t.tech}。{t.effect}。",
        f"{org}团队围绕{k[0]}开展多年攻关：{t.tech}。{t.effect}，形成知识产权{patents}项。",
        f"面向{application}，{t.tech}；经{stage}验证，{t.effect}。",
        f"一句话介绍：{k[0]}+{k[1]}。{t.effect}，有意向的企业可先到实验室看样。",
    ))


def achievement_detail(t: Topic, *, org: str, field: str, application: str, stage: str, trl: int,
                       modes: str, rng: random.Random) -> str:
    k = t.keywords
    background = rng.choice((
        f"滨州市{field}产业对{k[0]}、{k[1]}等技术需求迫切，相关企业在{k[2]}方面普遍存在技术短板。",
        f"{k[0]}是{field}产业提质增效的关键环节，国内同类生产线多依赖进口装备或老师傅的经验。",
        f"在黄河流域生态保护和高质量发展的要求下，{field}企业亟需在{k[1]}、{k[2]}上找到经济可行的办法。",
        f"{org}自{rng.randint(2012, 2019)}年起承担省市科技项目，持续跟踪{k[0]}工程化中的难题。",
    ))
    maturity = rng.choice((
        f"已完成{stage}验证（TRL {trl}），具备在企业开展{'中试放大' if trl < 7 else '规模化应用'}的条件。",
        f"技术成熟度约为TRL {trl}：{stage}数据齐全，{'下一步需要合作企业提供中试线' if trl < 7 else '已有企业连续运行半年以上'}。",
        f"目前处于{stage}阶段（TRL {trl}），{'欢迎企业共建中试平台' if trl < 7 else '可直接提供工艺包和技术培训'}。",
    ))
    layout = rng.randrange(3)
    if layout == 0:
        return "\n".join((f"一、技术背景：{background}", f"二、技术内容：{t.tech}。", f"三、主要指标：{t.effect}。",
                          f"四、成熟程度：{maturity}", f"五、应用前景：可应用于{application}，帮助企业降本增效。",
                          f"六、合作方式：{modes}。"))
    if layout == 1:
        return "\n".join((f"【项目简介】{t.tech}。", f"【创新点】{background}本项目在{k[0]}与{k[1]}的结合上有独到之处。",
                          f"【技术指标】{t.effect}。", f"【成熟度】{maturity}", f"【适用对象】{application}。",
                          f"【合作形式】{modes}，可面谈。"))
    return "\n".join((background, f"我们的做法是：{t.tech}。实测结果表明，{t.effect}。", maturity,
                      f"成果特别适合{application}。合作可采用{modes}等方式，具体条件可以商量。"))


def demand_description(t: Topic, *, org: str, county: str, business: str, pain: str, need: str,
                       field: str, rng: random.Random) -> str:
    k = t.keywords
    return rng.choice((
        f"{org}位于{county}，主要从事{business}。{pain}。现寻求{need}方面的技术合作，重点关注{k[0]}、{k[1]}、{k[2]}等技术，希望达到：{t.effect}。欢迎高校院所和科技型企业揭榜对接。",
        f"我公司主营{business}，年产值约{rng.randint(2, 40)}亿元。{pain}。拟与高校院所合作开展{need}研究，需解决{k[0]}和{k[1]}问题，目标是{t.effect}。",
        f"【需求背景】{pain}。\n【技术要求】围绕{k[0]}、{k[1]}、{k[2]}，{t.effect}。\n【合作期望】项目周期{rng.choice((6, 12, 18, 24))}个月以内，分阶段验收付款。",
        f"{county}的{org}现有{rng.randint(2, 8)}条生产线。近年来{pain}，急需引进{need}相关技术或成熟成果，优先考虑能在{county}落地中试的团队。",
        f"寻找{need}合作伙伴：要求{t.effect}；团队需有{k[0]}的工程化经验，{field}行业有成功案例者优先。我方可提供中试场地和生产数据。",
    ))
