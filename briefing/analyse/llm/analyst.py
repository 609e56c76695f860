"""The LLM analyst: one chat-completions call per story, validated, cached, with a fallback.

    for each story:
        base    = fallback.write_item(story)            # ids, time, sources: from the articles
        key     = sha256(prompt templates, model, prompt inputs)
        answer  = cache.get(key) or client.complete(prompt(story))   # HTTP only on a miss
        checked = parse_story_answer(answer)            # schema, languages, allowlists
        item    = base with checked text                 # any failure: base as is, + degraded

Links and sources never come from the model: the item keeps the fallback's sources, which
come from the story's articles, and the answer schema has no field that could carry one.
Only answers that pass validation are cached, so a rebuild with the same inputs makes no
HTTP call and gives the same briefing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jinja2

from briefing.analyse.base import Analyst, Headline, Story
from briefing.analyse.llm.client import ChatClient, LLMError, Message
from briefing.analyse.llm.schema import (
    AnswerError,
    CheckedHeadline,
    CheckedStory,
    Targets,
    load_targets,
    parse_headline_answer,
    parse_story_answer,
)
from briefing.analyse.reasoner.check import contradictions
from briefing.errors import ConfigError
from briefing.knowledge import stance_vocabulary
from briefing.model import Impact, Item, Text

if TYPE_CHECKING:
    from briefing.config import Config

log = logging.getLogger(__name__)

# Bump when the way answers are turned into items changes, so old cache entries miss.
PROMPT_FORMAT = "1"
DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "templates" / "prompts"
MAX_KEY_POINTS, MAX_INSIGHTS, MAX_IMPACTS = 6, 4, 6
HEADLINE_ITEMS = 8

Checked = CheckedStory | CheckedHeadline
Parse = Callable[[str], Checked]


class ResponseCache(Protocol):
    """Where answers are kept between runs: the store, or `MemoryCache` in tests."""

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, model: str, value: str) -> None: ...


class MemoryCache:
    """A `ResponseCache` in a dict (tests, and runs without a store)."""

    def __init__(self) -> None:
        self.values: dict[str, tuple[str, str]] = {}

    def cache_get(self, key: str) -> str | None:
        hit = self.values.get(key)
        return hit[1] if hit else None

    def cache_put(self, key: str, model: str, value: str) -> None:
        self.values[key] = (model, value)


# --- prompts ---------------------------------------------------------------------------------


def as_data(text: str) -> str:
    """Text made safe to place between prompt delimiters: it cannot open or close a tag.

    Escaping ``&``, ``<`` and ``>`` means an article cannot write ``</article>`` and step
    out of its element, whatever it says.
    """
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True)
class Prompt:
    """The messages of one call and the cache key they map to."""

    messages: list[Message]
    key: str


class PromptSet:
    """The prompt templates (``story.*.j2``, ``headline.*.j2``) of a folder."""

    NAMES = ("story.system.j2", "story.user.j2", "headline.system.j2", "headline.user.j2")

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or DEFAULT_PROMPTS_DIR
        missing = [n for n in self.NAMES if not (self.folder / n).is_file()]
        if missing:
            raise ConfigError(
                f"prompt templates missing: {self.folder}: {', '.join(missing)}: "
                "set llm.prompts_dir in feeds.yaml to a folder holding them"
            )
        # Autoescape is off: prompts are not HTML. Data is escaped by `as_data` before it
        # reaches a template, so a template cannot forget to.
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.folder)),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
        self._hash = {
            kind: _sha256(
                PROMPT_FORMAT,
                *(
                    (self.folder / f"{kind}.{part}.j2").read_text(encoding="utf-8")
                    for part in ("system", "user")
                ),
            )
            for kind in ("story", "headline")
        }

    def _render(
        self, kind: str, model: str, system: dict[str, Any], user: dict[str, Any]
    ) -> Prompt:
        messages: list[Message] = [
            {
                "role": "system",
                "content": self._env.get_template(f"{kind}.system.j2").render(system),
            },
            {"role": "user", "content": self._env.get_template(f"{kind}.user.j2").render(user)},
        ]
        inputs = _sha256(json.dumps([system, user], ensure_ascii=False, sort_keys=True))
        return Prompt(messages=messages, key=_sha256(self._hash[kind], model, inputs))

    def story(
        self,
        story: Story,
        brief: bool,
        targets: Targets,
        model: str,
        *,
        max_articles: int,
        max_chars: int,
    ) -> Prompt:
        system = {
            "brief": brief,
            "targets": targets.describe(),
            "stances": [w.zh for w in stance_vocabulary().stances],
            "max_key_points": MAX_KEY_POINTS,
            "max_insights": MAX_INSIGHTS,
            "max_impacts": MAX_IMPACTS,
        }
        articles = [
            {
                "id": as_data(a.id),
                "source": as_data(a.source_name),
                "lang": as_data(a.lang),
                "published": a.published.isoformat(),
                "title": as_data(a.title_norm or a.title),
                "text": as_data((a.text_norm or a.text)[:max_chars]),
            }
            for a in story.articles[:max_articles]
        ]
        user = {
            "story_id": as_data(story.id),
            "section": as_data(story.section),
            "follow_up": story.follow_up,
            "articles": articles,
        }
        return self._render("story", model, system, user)

    def headline(self, items: Sequence[Item], model: str) -> Prompt:
        top = list(items[:HEADLINE_ITEMS])
        system = {"summary_count": len(top)}
        user = {
            "items": [
                {
                    "title_zh": as_data(item.title.zh),
                    "title_en": as_data(item.title.en),
                    "points": [as_data(p.zh or p.en) for p in item.key_points[:2]],
                }
                for item in top
            ]
        }
        return self._render("headline", model, system, user)


def _sha256(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --- the analyst -----------------------------------------------------------------------------


class LLMAnalyst:
    """An `Analyst` that asks an LLM and falls back to another analyst on any failure."""

    name = "llm"

    def __init__(
        self,
        client: ChatClient,
        cache: ResponseCache,
        fallback: Analyst,
        *,
        targets: Targets | None = None,
        prompts: PromptSet | None = None,
    ) -> None:
        self.client = client
        self.cache = cache
        self.fallback = fallback
        self.targets = targets if targets is not None else load_targets()
        self.prompts = prompts or PromptSet()
        self._prepared: dict[tuple[str, bool], Checked | str] = {}
        self._degraded: list[str] = []
        self._review: list[str] = []

    @property
    def review(self) -> list[str]:
        """The model's tags that contradict a rule of the offline reasoner (for an editor)."""
        return list(self._review)

    @property
    def degraded(self) -> list[str]:
        """Why items fell back, in the order they were written, then the fallback's reasons."""
        return self._degraded + [d for d in self.fallback.degraded if d not in self._degraded]

    def prepare(self, stories: Iterable[tuple[Story, bool]]) -> None:
        """Fetch the answers for many stories at once (up to ``llm.concurrency`` in flight).

        Optional: `write_item` fetches on its own when a story was not prepared. Only the
        HTTP calls run in worker threads; the cache is read and written on this thread (a
        SQLite connection belongs to the thread that opened it). Results and degradation
        notes are reported in `write_item` order, so the run stays deterministic whatever
        order the answers arrive in.
        """
        misses: list[tuple[tuple[str, bool], Prompt, Parse]] = []
        for story, brief in stories:
            if (story.id, brief) in self._prepared:
                continue
            step = self._story_prompt(story, brief)
            if isinstance(step, str):
                self._prepared[story.id, brief] = step
                continue
            prompt, parse = step
            cached = self._cached(prompt, parse)
            if cached is not None:
                self._prepared[story.id, brief] = cached
            else:
                misses.append(((story.id, brief), prompt, parse))
        if not misses:
            return
        workers = min(self.client.settings.concurrency, len(misses))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm") as pool:
            answers = list(pool.map(lambda miss: self._ask(miss[1], miss[2]), misses))
        for (key, prompt, _), answer in zip(misses, answers, strict=True):
            self._prepared[key] = self._keep(prompt, answer)

    def write_item(self, story: Story, brief: bool) -> Item:
        base = self.fallback.write_item(story, brief)
        result = self._prepared.pop((story.id, brief), None)
        if result is None:
            result = self._story_answer(story, brief)
        if isinstance(result, str):
            self._note_failure(f"story {story.id}", result)
            return base
        assert isinstance(result, CheckedStory)
        item = _merge(base, result, brief)
        self._review.extend(contradictions(base, item))
        return item

    def write_headline(self, items: list[Item]) -> Headline:
        base = self.fallback.write_headline(items)
        if not items:
            return base
        prompt = self.prompts.headline(items, self.client.model)
        result = self._answer(prompt, parse_headline_answer)
        if isinstance(result, str):
            self._note_failure("headline", result)
            return base
        assert isinstance(result, CheckedHeadline)
        return Headline(
            title=Text(zh=result.title[0], en=result.title[1]),
            summary=tuple(Text(zh=zh, en=en) for zh, en in result.summary),
            tags=base.tags,
        )

    def close(self) -> None:
        self.client.close()

    def _note_failure(self, what: str, reason: str) -> None:
        """One degradation note per failure; after a 401/403 one note for the whole run."""
        auth = self.client.auth_error
        if auth is None:
            self._degraded.append(f"llm: {what}: {reason}")
            return
        note = (
            f"llm: authentication failed (HTTP {auth.status}): check the key in "
            f"${self.client.settings.api_key_env}; fell back to the rules analyst"
        )
        if note not in self._degraded:
            log.warning("%s", note)
            self._degraded.append(note)

    def _story_prompt(self, story: Story, brief: bool) -> tuple[Prompt, Parse] | str:
        settings = self.client.settings
        try:
            prompt = self.prompts.story(
                story,
                brief,
                self.targets,
                self.client.model,
                max_articles=settings.max_articles_per_story,
                max_chars=settings.max_article_chars,
            )
        except jinja2.TemplateError as exc:
            return f"prompt template: {type(exc).__name__}: {exc}"
        return prompt, lambda text: parse_story_answer(text, self.targets, brief=brief)

    def _story_answer(self, story: Story, brief: bool) -> CheckedStory | str:
        step = self._story_prompt(story, brief)
        if isinstance(step, str):
            return step
        result = self._answer(*step)
        assert not isinstance(result, CheckedHeadline)
        return result

    def _answer(self, prompt: Prompt, parse: Parse) -> Checked | str:
        """The checked answer for a prompt (cache first), or the reason there is none."""
        cached = self._cached(prompt, parse)
        if cached is not None:
            return cached
        return self._keep(prompt, self._ask(prompt, parse))

    def _cached(self, prompt: Prompt, parse: Parse) -> Checked | None:
        try:
            text = self.cache.cache_get(prompt.key)
        except Exception as exc:  # a broken cache must not stop the run: ask the model
            log.warning("LLM cache unreadable: %s: %s", type(exc).__name__, exc)
            return None
        if text is None:
            return None
        try:
            return parse(text)
        except AnswerError:
            return None  # a stale entry (say the allowlist changed): ask again

    def _ask(self, prompt: Prompt, parse: Parse) -> tuple[Checked, str] | str:
        """Call the model (thread-safe: no cache access); the checked answer and its text."""
        try:
            answer = self.client.complete(prompt.messages)
            return parse(answer.content), answer.content
        except (LLMError, AnswerError) as exc:
            log.info("LLM answer not used: %s", exc)
            return exc.reason
        except Exception as exc:  # the contract: one bad story never stops the run
            log.warning("LLM call failed unexpectedly: %s: %s", type(exc).__name__, exc)
            return f"unexpected {type(exc).__name__}"

    def _keep(self, prompt: Prompt, asked: tuple[Checked, str] | str) -> Checked | str:
        """Cache a valid answer (on the caller's thread) and return it, or the failure."""
        if isinstance(asked, str):
            return asked
        result, text = asked
        try:
            self.cache.cache_put(prompt.key, self.client.model, text)
        except Exception as exc:
            log.warning("LLM cache not written: %s: %s", type(exc).__name__, exc)
        return result


def _merge(base: Item, answer: CheckedStory, brief: bool) -> Item:
    """The fallback's item with the model's text; ids, time and sources stay the base's."""
    update: dict[str, Any] = {"title": Text(zh=answer.title[0], en=answer.title[1])}
    if not brief:
        update["key_points"] = [Text(zh=zh, en=en) for zh, en in answer.key_points]
        update["insights"] = [Text(zh=zh, en=en) for zh, en in answer.insights]
        update["insight_basis"] = ["llm"] * len(answer.insights)
        update["impacts"] = [
            Impact(
                target=Text(zh=i.target.zh, en=i.target.en),
                target_key=i.target.key,
                stance=i.stance,
                horizon=i.horizon,
                stance_text=Text(zh=i.stance_zh, en=i.stance_en),
                reason=Text(zh=i.reason_zh, en=i.reason_en),
            )
            for i in answer.impacts
        ]
    return base.model_copy(update=update)


def make_analyst(config: Config, cache: ResponseCache, fallback: Analyst) -> Analyst:
    """The LLM analyst when ``llm:`` is configured and enabled in feeds.yaml, else `fallback`."""
    settings = config.llm
    if not settings.configured:
        return fallback
    folder = config.resolve(settings.prompts_dir) if settings.prompts_dir else None
    return LLMAnalyst(
        ChatClient.from_settings(settings),
        cache,
        fallback,
        targets=load_targets(),
        prompts=PromptSet(folder),
    )
