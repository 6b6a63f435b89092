"""Runs a Python client of the source documents, read verbatim from stdin, with only glue around it.

The glue sends the document's host (ws://localhost:7860) to the test's network, makes the code's own
asyncio.sleep delays TIDEWIRE_SEED_TIME_FACTOR times as long (the websockets library keeps its timers),
and runs a block with a top-level await the way Python's asyncio REPL does. Ctrl-C (SIGINT) ends it
quietly, as it would end the document's script.
"""
import ast
import asyncio
import inspect
import os
import sys
import types

import websockets

DOCUMENT_HOST = "ws://localhost:7860"
NETWORK = os.environ["TIDEWIRE_SEED_NETWORK"]
TIME_FACTOR = float(os.environ["TIDEWIRE_SEED_TIME_FACTOR"])

# Resolve the library's lazy attribute now, so its modules import the real asyncio below.
original_connect = websockets.connect


def connect(uri, *args, **kwargs):
    if uri.startswith(DOCUMENT_HOST):
        uri = NETWORK + uri[len(DOCUMENT_HOST):]
    return original_connect(uri, *args, **kwargs)


websockets.connect = connect

real_sleep = asyncio.sleep


async def scaled_sleep(delay, result=None):
    return await real_sleep(delay * TIME_FACTOR, result)


# The document's `import asyncio` gets this module: the real one but for its sleep.
scaled_asyncio = types.ModuleType("asyncio")
scaled_asyncio.__dict__.update(asyncio.__dict__)
scaled_asyncio.sleep = scaled_sleep
sys.modules["asyncio"] = scaled_asyncio

source = sys.stdin.read()
code = compile(source, "<source document>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
namespace = {"__name__": "__main__"}
try:
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))
    else:
        exec(code, namespace)
except KeyboardInterrupt:
    print("[glue] interrupted", flush=True)
