"""File responses streamed under ASGI, a chunk at a time.

Django's ASGI handler cannot iterate a synchronous iterator asynchronously, so it reads a
``FileResponse`` (an attachment, an original .eml, a WhiteNoise static file) whole into memory
before sending a byte, and warns on every such response. This middleware, placed above
WhiteNoise, hands the handler an asynchronous iterator instead that reads the same file in
chunks on a worker thread: memory per download stays one chunk, whatever the file's size.
Under WSGI (and the test client) responses are left as they are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

_DONE = object()


def _next(iterator: Iterator[bytes]) -> Any:
    return next(iterator, _DONE)


async def chunks_of(iterable: Any) -> AsyncIterator[bytes]:
    iterator = iter(iterable)
    read = sync_to_async(_next, thread_sensitive=False)
    while True:
        chunk = await read(iterator)
        if chunk is _DONE:
            return
        yield chunk


class AsyncFileStreamingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            isinstance(request, ASGIRequest)
            and isinstance(response, StreamingHttpResponse)
            and not response.is_async
        ):
            # The file stays registered for closing with the response (FileResponse did that).
            response.streaming_content = chunks_of(response.streaming_content)
        return response
