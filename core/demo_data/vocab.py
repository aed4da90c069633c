"""The demo data's vocabulary: Chinese names, real city region codes and streets,
mobile prefixes, and the demo catalog. Plain data, no randomness."""

from __future__ import annotations

import json

from core.config import resources_dir
from core.models import CatalogItem
from core.money import parse_yuan

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国宇"
    "浩然子涵欣怡梓萱一诺思远俊杰雨桐晨阳佳怡子轩浩宇博文诗涵雅婷志强海燕春梅国庆文博"
    "慧敏晓东"
)
ETHNIC_NAMES = ("阿卜杜热合曼·买买提", "迪丽娜尔·艾力", "扎西·多吉", "古丽米拉·吐尔逊")
# (city, a real district region code, some street names)
CITIES = (
    ("北京", "110105", ("朝阳区建国路", "朝阳区望京街", "海淀区中关村大街")),
    ("上海", "310104", ("徐汇区漕溪北路", "浦东新区世纪大道", "闵行区七莘路")),
    ("广州", "440106", ("天河区天河路", "海珠区江南大道", "白云区机场路")),
    ("深圳", "440305", ("南山区科技园路", "福田区深南大道", "宝安区新安路")),
    ("成都", "510107", ("武侯区人民南路", "锦江区春熙路", "高新区天府大道")),
    ("杭州", "330106", ("西湖区文三路", "拱墅区莫干山路", "滨江区江南大道")),
    ("武汉", "420106", ("武昌区中南路", "洪山区珞喻路", "江汉区解放大道")),
    ("西安", "610113", ("雁塔区长安南路", "未央区凤城路", "碑林区东大街")),
    ("郑州", "410105", ("金水区花园路", "中原区建设路", "二七区大学路")),
    ("长沙", "430104", ("岳麓区麓山南路", "芙蓉区五一大道", "天心区芙蓉中路")),
    ("南京", "320106", ("鼓楼区中山北路", "玄武区珠江路", "建邺区江东中路")),
    ("重庆", "500103", ("渝中区解放碑", "江北区观音桥", "南岸区南坪")),
)
MOBILE_PREFIXES = (
    "138",
    "139",
    "135",
    "136",
    "137",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "177",
    "180",
    "181",
    "189",
    "199",
    "191",
    "166",
    "173",
)


def load_demo_catalog() -> list[CatalogItem]:
    raw = json.loads((resources_dir() / "demo" / "catalog.json").read_text(encoding="utf-8"))
    return [
        CatalogItem(i["sku"], i["name"], i["category"], parse_yuan(i["price"]))
        for i in raw["items"]
    ]
