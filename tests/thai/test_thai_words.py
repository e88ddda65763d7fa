"""Thai words for comparing names: PyThaiNLP's dictionary tokenizer, offline, without Django."""

import os
import subprocess
import sys
from pathlib import Path

from khamrap.thai.words import FILLER_WORDS, content_words, words

REPO = Path(__file__).resolve().parents[2]


def test_words_load_no_django_and_download_nothing(tmp_path: Path) -> None:
    # given: PyThaiNLP's data folder (where it would put anything it downloads) is empty, the network refused
    data = tmp_path / "pythainlp-data"
    check = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('no network')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from khamrap.thai.words import words\n"
        "assert words('ครัวเรือนที่ผ่านเกณฑ์') == ('ครัวเรือน', 'ที่', 'ผ่าน', 'เกณฑ์')\n"
        "assert not any(m.startswith('django') for m in sys.modules), 'django'\n"
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")},
            "PYTHAINLP_DATA": str(data),
        },
    )

    # then
    assert result.returncode == 0, result.stderr
    assert not data.exists() or not any(data.rglob("*.*"))


def test_the_same_text_in_two_forms_gives_the_same_words() -> None:
    assert words("สํานักงานจังหวัด") == words("สำนักงานจังหวัด") == ("สำนักงาน", "จังหวัด")


def test_filler_words_are_dropped_and_only_them() -> None:
    assert "ร้อยละ" in FILLER_WORDS and "ของ" in FILLER_WORDS
    assert content_words("ร้อยละของผู้ป่วยเบาหวานที่ควบคุมระดับน้ำตาลได้") == frozenset(
        {"ผู้ป่วย", "เบาหวาน", "ควบคุม", "น้ำตาล"}
    )
