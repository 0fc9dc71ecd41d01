"""What a question asks for: a facet (too_high, how_to_set...), a comparison, or a follow-up to the last term.

Plain patterns, in both languages: the words people use for these intents are few and stable, and a pattern that
misses can be read and fixed, unlike a learned classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexical import STOPWORDS, fold

_FACET_PATTERNS = (
    ("too_high", r"太高|太大|过高|过大|太多|太强|太猛|太重|调高|调大|拉高|拉满|拉太|开太|加大|增大|偏高|偏大|过多|"
                 r"too high|too large|too big|too much|too many|too strong|higher|increase|raise|crank"),
    ("too_low", r"太低|太小|过低|过小|太少|太弱|调低|调小|降低|减小|偏低|偏小|"
                r"too low|too small|too few|too little|too weak|lower|decrease|reduce"),
    ("how_to_set", r"怎么设|怎么调|怎么选|如何设|如何调|设多少|设成多少|设置多少|调多少|多少合适|设多大|调多大|"
                   r"给多大|给多少|多大合适|设几|练几|跑几|几步|几轮|多少步|多少轮|一般.{0,3}多少|填多少|怎么填|选哪|"
                   r"多少比较好|选哪个|用哪个|推荐|最佳|合适的值|怎么设置|设置成|怎么开|怎么启用|如何开启|"
                   r"how to set|how should i set|what value|which value|how do i enable|how to enable|turn on|"
                   r"recommended|best value|good value|how much should|how many should|"
                   r"what should i set|"
                   r"which one should|how do i choose|how to choose|what .* use"),
    ("example", r"例子|举例|举个|示例|比如说|for example|an example|give me an example|example of"),
    ("pitfalls", r"误区|坑|注意什么|注意事项|要注意|容易错|常见错误|pitfall|mistake|gotcha|watch out"),
    ("analogy", r"比喻|打个比方|通俗|大白话|类比|形象|analogy|eli5|in simple terms|like i'?m five"),
    ("definition", r"是什么|是啥|什么意思|啥意思|指什么|什么东西|定义|含义|解释一下|介绍一下|"
                   r"what is|what's|what are|what does .* mean|meaning of|define|definition|explain"),
)
_NAMING = (r"叫什么|叫啥|统称|这类|这一类|这些东西|what is that|what's that|what are these|what are they called|"
           r"是哪个|哪个设置|哪个参数|哪个选项|哪个功能|那个功能|那个选项|那个设置|那个东西|那个参数|"
           r"什么功能|什么技术|什么方法|管的|what is it called|what's it called|what is that called|which setting|"
           r"which option|which parameter|the thing that|the setting that|the option that|the step that|"
           r"the process|the part that|the technique|is there a way|is there a setting")
# "调哪个数", "which value": the answer is a number one tunes (a term with too_high/too_low).
_KNOB = (r"哪个数|哪个值|那个数|那个值|什么数|哪个参数|调哪个|哪个滑块|"
         r"which parameter|which number|which value|what number|which slider")
_COMPARE = r"区别|差别|不同|差异|对比|比较|有啥不一样|哪个好|还是|vs\.?|versus|difference|differ|compare|compared"
_RELATION = r"关系|联系|影响|有关|相关|relation|relationship|related|connect|affect|impact"
# "那太低呢", "what about X": the conversation continues (a named term takes over, keeping the facet asked).
_CONTINUES = r"^(那|那么|还有|另外|和|跟|与|and\b|what about|how about|and if|then|so\b)|呢[?？。.!！]*$"
# "它", "这个", "it": the question points back at the previous term, even when it names another one.
_REFERS = r"它|这个|这玩意|这东西|该参数|\bit\b|\bit's\b|\bits\b|\bthis one\b|\bthat one\b|\bthis setting\b"
_COMPILED = [(facet, re.compile(pattern)) for facet, pattern in _FACET_PATTERNS]


@dataclass(frozen=True)
class Intent:
    """What the question asks, independent of which term it is about.

    Attributes:
        facet: The facet asked for, or None when the question only describes a situation.
        compare: The question asks for a difference between two terms.
        relation: The question asks how two things are linked ("和显存有什么关系").
        followup: The wording continues the conversation ("那太低呢", "what about too low?").
        refers: The wording points back at the previous term ("它和显存有什么关系", "does it slow training").
        naming: The question describes something and asks for its name ("...是哪个参数管的").
        knob: The answer is a number one tunes ("调哪个数能让它更听话").
        topical: Besides what it asks, the question says what it is about ("那个模糊要调多大" vs "那太低呢").
    """

    facet: str | None
    compare: bool
    relation: bool
    followup: bool
    naming: bool = False
    refers: bool = False
    knob: bool = False
    topical: bool = True


# "use it with", "for it": the pronoun is an object, so a term the question names is its subject.
_OBJECT_PRONOUN = re.compile(r"\b(with|for|on|to|about|from|in)\s+(it|this|that)\b")


def detect_intent(question: str) -> Intent:
    text = fold(question).strip()
    subject_text = _OBJECT_PRONOUN.sub(" ", text)
    facet = next((name for name, pattern in _COMPILED if pattern.search(text)), None)
    return Intent(facet=facet, compare=bool(re.search(_COMPARE, text)), relation=bool(re.search(_RELATION, text)),
                  followup=bool(re.search(_CONTINUES, text) or re.search(_REFERS, subject_text)),
                  naming=bool(re.search(_NAMING, text)), refers=bool(re.search(_REFERS, subject_text)),
                  knob=bool(re.search(_KNOB, text)), topical=_is_topical(text))


_ASKING = re.compile("|".join([p for _, p in _FACET_PATTERNS] + [
    _NAMING, _KNOB, _COMPARE, _RELATION, _CONTINUES, _REFERS,
    r"会怎样|会怎么样|怎么办|咋办|咋整|要不要|能不能|可不可以|有没有|是不是|多少|多大|几个|合适|一般|比较|"
    r"吗|呢|吧|啊|呗|会|要|能|用|给|调|设|开|什么|怎么|为什么|为啥|啥|哪|很|非常|更|还|都|就|也|了|的|一点|多|少|"
    r"\b(what|how|why|which|should|could|would|will|do|does|did|is|are|can|i|me|my|you|if|about|then|so|ok|"
    r"use|set|pick|happens?|much|many|need|one|ones)\b"]))


def _is_topical(text: str) -> bool:
    """Whether words are left once the asking is taken out: a Latin word of 3+ letters or two Han characters."""
    rest = _ASKING.sub(" ", text)
    words = [w for w in re.findall(r"[a-z0-9]{3,}|[\u3400-\u9fff]{2,}", rest) if w not in STOPWORDS]
    return bool(words)


def question_lang(question: str) -> str:
    """Answer in Chinese when the question has any Han character, else in English."""
    return "zh" if re.search(r"[\u3400-\u9fff]", question) else "en"
