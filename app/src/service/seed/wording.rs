//! How residents put the demo history's problems, varied as real calls are: several ways of
//! saying each problem, said with different openings, places and endings. Some problems of a
//! category belong to another unit than the category's usual department (a parked car blocking
//! a road is the traffic police's, not the transport bureau's): what the routing models learn
//! and the category → department table cannot say.
use rand::Rng;
use rand::rngs::StdRng;

pub struct Subject {
    pub category: &'static str,
    /// The register's short title of it.
    pub title: &'static str,
    /// The unit that handles it when not the category's usual department.
    pub unit: Option<&'static str>,
    /// Ways residents say it.
    pub says: &'static [&'static str],
}

const fn s(category: &'static str, title: &'static str, unit: Option<&'static str>, says: &'static [&'static str]) -> Subject {
    Subject { category, title, unit, says }
}

pub const SUBJECTS: &[Subject] = &[
    s("dispute-neighbour", "邻居占用通道", None, &["隔壁把杂物堆在公共过道上，进出都不方便", "邻居在楼道里堆放电动车和纸箱，说了也不搬"]),
    s("dispute-neighbour", "邻里排水纠纷", None, &["邻居家的排水管改到我家门口，一下雨就积水", "两家因为屋后排水沟吵了好几次，想请村里调解"]),
    s("dispute-neighbour", "楼上漏水", None, &["楼上卫生间漏水，我家天花板都发霉了，协商不下来", "上面那户装修后一直渗水，找他们也不理"]),
    s("dispute-land", "宅基地界址纠纷", None, &["建房时和隔壁为宅基地边界吵起来了", "邻居新房的墙砌到了我家宅基地上"]),
    s("dispute-land", "承包地边界争议", None, &["承包地的田埂被人挖了，边界说不清", "两户为了一块承包地的界线闹矛盾"]),
    s("dispute-labour", "工资拖欠", None, &["在工地干了三个月，老板一直拖着工资不发", "厂里欠了我们二十多个人半年的工钱"]),
    s("dispute-labour", "工伤赔偿争议", None, &["干活时摔伤了腿，公司不肯按工伤赔", "工伤认定下来了，单位还是不给赔偿"]),
    s("petition", "征地补偿信访", None, &["征地补偿款到现在没拿到，想讨个说法", "征地时答应的安置补偿没有兑现"]),
    s("petition", "低保认定信访", None, &["家里困难申请低保被拒，觉得不公平", "低保名单里有不符合条件的人，要求复查"]),
    s("construction-damage", "施工震裂房屋", None, &["旁边工地打桩，我家墙上裂了好几道缝", "隧道施工放炮，村里好几户房子开裂了"]),
    s("construction-damage", "渣土堵塞排水沟", Some("区综合行政执法局"), &["工地的渣土车把泥倒在排水沟里，沟都堵死了", "施工渣土乱倒，路边水沟不通了"]),
    s("noise", "广场舞噪音", None, &["每天晚上广场舞音响开得特别大，十点还没停", "小区门口跳舞的音乐太吵了，老人孩子都睡不好"]),
    s("noise", "夜间施工噪音", Some("区住建局"), &["工地半夜还在施工，机器声吵得睡不着", "晚上十一点以后还在浇混凝土，噪音很大"]),
    s("noise", "商铺外放音响", Some("区综合行政执法局"), &["街上几家店门口放喇叭促销，整天吵", "商铺用大音箱外放音乐，影响居民休息"]),
    s("utilities", "停电未通知", None, &["突然停电好几个小时，事先一点通知都没有", "这周已经停了三次电，冰箱里的东西都坏了"]),
    s("utilities", "停水未通知", Some("区住建局"), &["小区停水一整天了，也没有贴通知", "自来水突然停了，问了物业也说不清原因"]),
    s("utilities", "路灯不亮", Some("区综合行政执法局"), &["村口那段路的路灯坏了快一个月，晚上走路很黑", "好几盏路灯不亮，夜里出行不安全"]),
    s("utilities", "燃气管道异味", Some("区住建局"), &["楼道里有一股煤气味，担心燃气管道漏气", "闻到燃气味道很重，怕出事"]),
    s("roads", "道路坑洼", None, &["路面坑坑洼洼，下雨全是积水，电动车摔了好几次", "这条路坑太多了，车子开过去颠得厉害"]),
    s("roads", "违章停车堵路", Some("区交警大队"), &["路边乱停车，早上消防通道都被堵住了", "有人把车长期停在路口，公交车都过不去"]),
    s("roads", "桥梁护栏损坏", None, &["村口小桥的护栏断了一截，孩子上学经过很危险", "桥上的栏杆被车撞坏了，一直没修"]),
    s("environment", "垃圾清运不及时", Some("区综合行政执法局"), &["垃圾桶满了好几天没人来清运，臭气熏天", "垃圾堆在路边没人收，招了很多苍蝇"]),
    s("environment", "河边垃圾堆积", None, &["河边堆了很多生活垃圾，一直没人清理", "小溪边上有人乱倒垃圾，水都变色了"]),
    s("environment", "公厕无人保洁", Some("区综合行政执法局"), &["公共厕所很脏，好像没人打扫", "村里公厕又脏又臭，水龙头也坏了"]),
    s("risk-mass", "业主聚集维权", Some("区委政法委"), &["楼盘交房延期，几十个业主准备去售楼处聚集", "业主群里在约明天一起去开发商那里讨说法"]),
    s("risk-mass", "拆迁户集体上访苗头", None, &["拆迁户对补偿标准不满，说要集体去区里上访", "好几户拆迁户在商量一起去上访"]),
    s("risk-safety", "电线私拉乱接", None, &["出租房里电线私拉乱接，还在楼道里充电动车", "老房子的电线老化了，经常跳闸冒火花"]),
    s("risk-safety", "自建房墙体开裂", Some("区住建局"), &["村里一栋四层自建房墙体开裂，还住着租户", "自建房外墙裂缝越来越大，担心倒塌"]),
    s("emergency-fire", "焚烧秸秆", Some("生态环境分局"), &["田里有人在烧秸秆，烟很大，路上都看不清", "又有人焚烧稻草，整个村子都是烟"]),
    s("emergency-fire", "山林火情隐患", Some("区林业局"), &["山上有人上坟烧纸放鞭炮，容易引起山火", "后山冒烟了，好像有火点"]),
    s("emergency-flood", "低洼处积水倒灌", None, &["下大雨以后低洼处的房子进水了", "雨水倒灌进了几户人家，需要抽水"]),
    s("emergency-flood", "山塘水位偏高", Some("区农业农村局"), &["连续下雨，山塘水位快漫过坝顶了", "水库水位涨得很快，下游村民很担心"]),
    s("emergency-accident", "车辆侧翻", Some("区交警大队"), &["路口一辆货车侧翻了，有人受伤", "大货车在弯道翻车，路被堵住了"]),
    s("emergency-accident", "厂房火情", Some("区消防救援大队"), &["工业园区一个厂房冒出浓烟", "厂里着火了，火势不小"]),
    s("enforcement-pollution", "河道疑似排污", None, &["有工厂往河里偷偷排污水，水发黑发臭", "河里的鱼死了好多，怀疑上游有人排污"]),
    s("enforcement-pollution", "养殖场异味", Some("区农业农村局"), &["村边养猪场臭味很大，夏天根本开不了窗", "养殖场的粪水流到田里，味道刺鼻"]),
    s("enforcement-market", "无证食品摊点", None, &["学校门口有无证摊贩卖油炸食品", "夜市有几个小吃摊没有任何证照"]),
    s("enforcement-market", "出售过期食品", None, &["在超市买的牛奶已经过期了", "小卖部卖的零食过了保质期还在卖"]),
    s("enforcement-building", "楼顶违法搭建", None, &["对面楼顶在搭彩钢棚，明显是违建", "有人在屋顶加盖了一层，没有审批"]),
    s("enforcement-building", "占用绿地违建", None, &["小区绿地被人圈起来建了小房子", "有人占用公共绿化带搭棚子"]),
    s("guidance-grid", "独居老人无人照料", Some("区民政局"), &["网格走访发现一位独居老人生活不能自理", "村里有个孤寡老人没人照顾，身体很差"]),
    s("guidance-grid", "出租房登记不全", Some("公安衢江分局"), &["网格里几间出租房住了外来人员，没有登记", "出租屋人员流动大，信息没有登记"]),
];

/// How a call opens, where it says the place, and how it ends.
const OPENINGS: &[&str] = &["", "您好，", "我想反映一下，", "我是附近的居民，", "麻烦问一下，"];
const ENDINGS: &[&str] = &["希望尽快处理。", "麻烦派人来看看。", "已经好几天了，一直没人管。", "请有关部门处理一下。", "谢谢。"];

/// The subjects of a category.
pub fn of(category: &str) -> Vec<&'static Subject> {
    SUBJECTS.iter().filter(|s| s.category == category).collect()
}

/// A resident's description of `subject` at `village` (of `township`), worded at random.
pub fn describe(subject: &Subject, township: &str, village: &str, rng: &mut StdRng) -> String {
    let says = subject.says[rng.random_range(0..subject.says.len())];
    let place = match rng.random_range(0..3) {
        0 => format!("{township}{village}"),
        1 => village.to_string(),
        _ => String::new(),
    };
    let opening = OPENINGS[rng.random_range(0..OPENINGS.len())];
    let ending = ENDINGS[rng.random_range(0..ENDINGS.len())];
    if place.is_empty() { format!("{opening}{says}，{ending}") } else { format!("{opening}{place}{says}，{ending}") }
}

/// Categories the desk confuses (a night-time building site's noise filed as construction
/// damage): some history is filed under the neighbour, as real registers are.
const CONFUSED: &[(&str, &str)] = &[
    ("noise", "construction-damage"),
    ("environment", "enforcement-pollution"),
    ("roads", "utilities"),
    ("risk-safety", "construction-damage"),
    ("dispute-neighbour", "dispute-land"),
    ("enforcement-building", "risk-safety"),
    ("emergency-flood", "emergency-accident"),
];

/// The category a case of `category` is filed under: now and then its confusable neighbour.
pub fn filed_under<'a>(category: &'a str, rng: &mut StdRng) -> &'a str {
    match CONFUSED.iter().find_map(|(a, b)| {
        if *a == category {
            Some(*b)
        } else if *b == category {
            Some(*a)
        } else {
            None
        }
    }) {
        Some(other) if rng.random_bool(0.08) => other,
        _ => category,
    }
}
