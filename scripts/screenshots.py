"""Screenshots for the README of the sign-in, the lock and the masked detail view.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--lang zh_CN]

Uses a throwaway data folder with seeded sample data (made-up customers) and an
in-memory keyring; writes PNGs to docs/screenshots/. Needs a CJK font (on Debian:
fonts-wqy-microhei) for Chinese text to render.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", default="zh_CN")
    p.add_argument("--out", default=str(OUT), help="folder for the PNGs (docs/screenshots)")
    args = p.parse_args()
    out = Path(args.out)

    import keyring
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication, QWidget

    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data import seed_demo
    from core.operators.service import OperatorService, authenticate, create_first_admin
    from core.security.memory_keyring import MemoryKeyring
    from core.security.permissions import Role
    from ui.app import install_translations, make_main_window
    from ui.detail_layout import opening_size
    from ui.login import LoginDialog

    keyring.set_keyring(MemoryKeyring())
    import ui.db_lane
    from ui.tasks import SynchronousRunner

    # each window's database lane finishes a job before the call returns (as in the GUI
    # tests): the list and the dialogs are filled when they are grabbed
    ui.db_lane.default_runner = SynchronousRunner
    app = QApplication.instance() or QApplication(sys.argv)
    install_translations(app, args.lang)
    out.mkdir(parents=True, exist_ok=True)

    def grab(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(resolve_paths(Path(tmp)))
        seed_demo(ctx.applications, 60, 3, ctx.clock.now(), plant_rate=0.05)
        create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "Counter2026")
        admin = authenticate(ctx.db, ctx.clock, "boss", "Counter2026")
        ops = OperatorService(ctx.db, ctx.clock, admin)
        ops.create_operator("xiaoli", "李小丽", Role.CLERK, "258014")
        ops.create_operator("zhao", "赵经理", Role.FIELD_MANAGER, "Region77x")

        def auth(login: str, password: str) -> object:
            return authenticate(ctx.db, ctx.clock, login, password)

        # the first-run screen as IT sees it with a rollout file that has a mistake
        from core.rollout import load_rollout
        from ui.first_run import EnrolmentPanel
        from ui.login import SetupDialog

        rollout = Path(tmp) / "loandesk-rollout.ini"
        rollout.write_text(
            "[loandesk]\nserver_url = http://central.example.cn\n"
            "store_code = S001\nenrollment_code = K7M2-Q9XP\n",
            encoding="utf-8",
        )
        panel = EnrolmentPanel(ctx.paths, load_rollout({}, file=rollout), args.lang)
        setup = SetupDialog(lambda *_a: "", args.lang, enrolment=panel)
        grab(setup, "first_run")
        setup.close()

        login = LoginDialog(auth, args.lang)
        login.login_edit.setText("xiaoli")
        grab(login, "login")
        login.close()

        admin_ctx = ctx.as_operator(admin)
        admin_window = make_main_window(admin_ctx, args.lang, auto_sync=False)
        operators = admin_window.session_ui.open_operators()
        grab(operators, "operators")
        operators.close()
        about = admin_window.help_menu.open_about()
        if about is not None:
            grab(about, "about")
            about.close()
        admin_window.close()

        for who, password, name in (
            ("xiaoli", "258014", "detail_masked_clerk"),
            ("zhao", "Region77x", "detail_manager"),
        ):
            op_ctx = ctx.as_operator(authenticate(ctx.db, ctx.clock, who, password))
            window = make_main_window(op_ctx, args.lang, auto_sync=False)
            window.resize(1180, 720)
            if who == "xiaoli":
                grab(window, "main_window_clerk")
            window.table.selectRow(0)
            dialog = window.open_selected()
            assert dialog is not None
            dialog.show()  # its first show sizes it for the screen; offscreen is 800x600:
            dialog.resize(opening_size(QSize(1366, 768)))  # as on a store PC's screen
            grab(dialog, name)
            dialog.close()
            if who == "xiaoli":
                window.session_ui.lock.lock()
                grab(window, "locked")
            window.close()
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
