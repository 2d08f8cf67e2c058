"""Practice inputs drawn ahead, while every worker is idle: when a class presses run at once (the
instructor says "try it now"), each student's inputs are ready, and the workers judge answers only.

A set drawn ahead is (trial id, seed, the inputs' JSON, the inputs and their trials pickled). Its
seed is keyed by the formative secret and the random trial id alone (no student asked yet); the trial
id is bound to the student it is issued to, as an id drawn on request is.
"""
import asyncio
import logging
import secrets
from collections import deque

from ...engine import catalogue
from .formative import drawn, formative_seed


class Ahead:
    def __init__(self, service, per_check):
        self.service, self.per_check = service, per_check
        self.stock = {c: deque() for c in catalogue.all_check_ids()}
        self.task = None
        self.wake = asyncio.Event()                 # a set was taken, or the pool fell idle

    def take(self, check_id):
        """A set drawn ahead for `check_id` (it is no longer in stock), or None."""
        stock = self.stock.get(check_id)
        if stock is None:
            return None
        self.wake.set()
        return stock.popleft() if stock else None

    def start(self):
        self.service.pool.on_idle = self.wake.set
        self.task = asyncio.get_running_loop().create_task(self._fill())

    def stop(self):
        if self.task is not None:
            self.task.cancel()
            self.service.pool.on_idle = None

    def _short(self):
        policy = self.service.settings.policy_of
        short = [c for c, s in self.stock.items() if len(s) < self.per_check and policy(c.partition(".")[0]) != "off"]
        return min(short, key=lambda c: len(self.stock[c])) if short else None

    async def _fill(self):
        pool = self.service.pool
        while True:
            check_id = self._short()
            if check_id is None or not pool.idle():     # the students' requests always go first
                self.wake.clear()
                await self.wake.wait()
                continue
            nonce = secrets.token_urlsafe(18)
            seed = formative_seed(self.service.secret, "", check_id, nonce)
            try:
                wire, drawn_bytes = await pool.run(drawn, check_id, seed)
            except asyncio.CancelledError:
                raise
            except Exception:                       # noqa: BLE001 - drawn on request instead
                logging.getLogger("tornado.application").exception("could not draw inputs ahead for %s", check_id)
                await asyncio.sleep(5)
                continue
            self.stock[check_id].append((nonce, seed, wire, drawn_bytes))
