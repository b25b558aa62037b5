"""The language server every test module talks to unless it starts its own: one per module."""

import pytest_lsp
from lsp_helpers import SERVER, start
from pytest_lsp import LanguageClient


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()
