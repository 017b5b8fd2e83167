"""The tantivy backend's own guarantees (the contract suite covers its answers): atomic
rebuilds, a writer lock held by another process, a process killed between the store write
and the index commit, a deleted index directory, other processes seeing commits."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from es_server import index_settings
from index_corpus import corpus_articles, late_article, save, store_and_index_corpus

from coopwatch.cli import cli
from coopwatch.store import Store
from coopwatch.text_analysis import BuiltinAnalyzer
from index import open_index
from index.tantivy_index import POINTER, index_root

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path, monkeypatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return index_settings(tmp_path, "tantivy")


@pytest.fixture
def store(settings):
    with Store(settings.data_dir) as store:
        yield store


@pytest.fixture
def index(settings, store):
    index = open_index(settings, store)
    store_and_index_corpus(store, index)
    yield index
    index.close()


def ids(index, text: str) -> set[str]:
    return {hit.id for hit in index.search(index.parse(text)).hits}


def python(script: str, *args: str, **kwargs) -> subprocess.Popen:
    """Another coopwatch process (ingest, serve) running `script` with `args` in argv."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def generations(settings) -> list[str]:
    return sorted(p.name for p in index_root(settings).glob("g-*"))


def test_searches_during_a_rebuild_see_the_old_index(settings, index, store):
    """The analyzer of the rebuild searches (as the API would, in the same process: one
    cached tantivy Index per directory) while the new generation is half filled."""
    seen: list[tuple[int, set[str]]] = []
    reader = open_index(settings, store)
    before = generations(settings)

    class SearchWhileRebuilding(BuiltinAnalyzer):
        def __call__(self, text, language):
            if text == corpus_articles()[3].title and not seen:
                seen.append((reader.count(), ids(reader, "Familienkarte kind:article")))
            return super().__call__(text, language)

    with store.transaction() as conn:  # the store changes: the rebuild must show it
        conn.execute("DELETE FROM articles WHERE id = 'a-de-card'")
    rebuilding = open_index(settings, store, SearchWhileRebuilding())
    assert rebuilding.reindex(batch_size=1) == 6
    assert seen == [(7, {"a-de-card"})]  # the old generation, complete, during the rebuild
    assert reader.count() == 6 and ids(reader, "Familienkarte kind:article") == set()
    after = generations(settings)
    assert len(after) == 1 and after != before  # switched, the old generation removed
    assert (index_root(settings) / POINTER).read_text().strip() == after[0]


def test_writer_locked_by_another_process_leaves_docs_pending(settings, index, store):
    locker = python(
        """
        import sys, tantivy
        from pathlib import Path
        root = Path(sys.argv[1])
        index = tantivy.Index.open(str(root / (root / "CURRENT").read_text().strip()))
        writer = index.writer(15_000_000, 1)
        print("locked", flush=True)
        sys.stdin.readline()
        writer.wait_merging_threads()
        """,
        str(index_root(settings)),
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        article = late_article("a-en-late-0")
        save(store, article)
        assert not index.index_article(article)  # no exception: ingest goes on
        assert index.stale() == 1
        assert index.catch_up() == 0  # still locked: the mark stays
        assert ids(index, "Kyrgyzstan") == set()
    finally:
        locker.communicate("done\n", timeout=30)
    assert index.catch_up() == 1
    assert index.stale() == 0
    assert ids(index, "Kyrgyzstan") == {"a-en-late-0"}


def test_process_killed_between_store_write_and_index_commit(settings, index, store):
    """Ingest stores an article, adds it to a tantivy writer and is killed before the
    commit: the store's pending mark survives, the lock dies with the process, and the next
    catch-up indexes the article."""
    ingest = python(
        """
        import sys
        from coopwatch.settings import load_settings
        from coopwatch.store import Store
        from index import open_index
        from index.documents import build_doc
        from index.tantivy_index import tantivy_doc
        sys.path.insert(0, "tests/index")
        from test_tantivy_index import late_article, save

        settings = load_settings(data_dir=sys.argv[1], **{"index.backend": "tantivy"})
        store = Store(settings.data_dir)
        index = open_index(settings, store)
        article = late_article("a-en-late-1")
        save(store, article)
        with index.backend._writer() as writer:
            writer.add_document(tantivy_doc(build_doc(article, index.analyzer)))
            print("added", flush=True)
            sys.stdin.readline()  # killed here, before the commit
        """,
        str(settings.data_dir),
    )
    try:
        assert ingest.stdout.readline().strip() == "added"
        ingest.send_signal(signal.SIGKILL)
        ingest.wait(timeout=30)
    finally:
        ingest.kill()
    assert index.stale() == 1
    assert ids(index, "Kyrgyzstan") == set()
    assert index.catch_up() == 1
    assert ids(index, "Kyrgyzstan") == {"a-en-late-1"}
    assert index.stale() == 0


def test_deleted_index_directory_is_rebuilt_by_reindex(settings, index, store):
    shutil.rmtree(index_root(settings))
    reopened = open_index(settings, store)
    result = reopened.search(reopened.parse("Familienkarte kind:article"))
    assert result.hits == [] and result.stale == 7  # empty, and saying what it lacks
    command = CliRunner().invoke(
        cli, ["--data-dir", str(settings.data_dir), "reindex", "--backend", "tantivy"]
    )
    assert command.exit_code == 0, command.output
    assert reopened.count() == 7 and reopened.stale() == 0
    assert ids(reopened, "Familienkarte kind:article") == {"a-de-card"}


def test_another_process_sees_committed_documents(settings, index, store):
    reader = python(
        """
        import sys
        from coopwatch.settings import load_settings
        from coopwatch.store import Store
        from index import open_index

        settings = load_settings(data_dir=sys.argv[1], **{"index.backend": "tantivy"})
        with Store(settings.data_dir) as store:
            index = open_index(settings, store)
            for line in sys.stdin:
                hits = index.search(index.parse(line.strip())).hits
                print(",".join(sorted(h.id for h in hits)) or "-", flush=True)
        """,
        str(settings.data_dir),
    )
    try:
        reader.stdin.write("Kyrgyzstan\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "-"
        article = late_article("a-en-late-2")
        save(store, article)
        assert index.index_article(article)  # this process commits...
        reader.stdin.write("Kyrgyzstan\n")  # ...the other one, already open, sees it
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "a-en-late-2"
    finally:
        reader.communicate("", timeout=30)
