"""Render one xtd page on request: `python -m xtd_site.timer PATH` reads commands on stdin.

"render" renders PATH once through Django's test client and answers one JSON line with its
status, size and duration; "save FILE" writes the last page rendered to FILE; end of input
stops it. The benchmark asks for one render at a time, taking turns with Parley's page.
"""

import json
import sys
import time

import django


def main(path):
    django.setup()
    from django.test import Client

    client, content = Client(), b""
    for command in sys.stdin:
        verb, _, argument = command.strip().partition(" ")
        if verb == "render":
            start = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - start
            content = response.content
            answer = {"status": response.status_code, "bytes": len(content), "seconds": seconds}
        elif verb == "save":
            with open(argument, "wb") as out:
                out.write(content)
            answer = {"saved": argument}
        elif verb == "versions":
            from importlib.metadata import version

            answer = {"django": django.get_version(), "xtd": version("django-comments-xtd")}
        else:
            answer = {"error": f"unknown command {verb!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
