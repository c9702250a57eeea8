"""Mail as Taiwanese customers' mailers really write it: the charsets they label one way and write
another, HTML-only replies, Gmail and Outlook quoting in both languages, auto-replies, bounces, and
messages broken in ways that must not lose them."""

from __future__ import annotations

import base64
import quopri

from contact_center.mail import charsets
from contact_center.mail.parse import parse


def _b(text: str, codec: str) -> str:
    return base64.b64encode(text.encode(codec)).decode()


def test_big5_labelled_outlook_mail_written_in_cp950_keeps_its_euro_sign_and_subject() -> None:
    body = quopri.encodestring("您好，冷氣漏水，維修費 €20 可以嗎？\r\n".encode("cp950")).decode()
    raw = (
        "From: =?big5?B?" + _b("林美華", "big5") + "?= <MeiHua.Lin@Example.com.tw>\r\n"
        "To: support@cc.example\r\n"
        "Subject: =?big5?B?" + _b("冷氣漏水", "big5") + "?=\r\n"
        "Message-ID: <abc123@mail.example.com.tw>\r\n"
        "Date: Mon, 07 Dec 2026 15:04:05 +0800\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="big5"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    ).encode()
    mail = parse(raw)
    assert mail.subject == "冷氣漏水"
    assert (mail.sender, mail.sender_name) == ("meihua.lin@example.com.tw", "林美華")
    assert mail.text == "您好，冷氣漏水，維修費 €20 可以嗎？"
    assert mail.message_id == "abc123@mail.example.com.tw" and mail.to == ["support@cc.example"]
    assert mail.date is not None and mail.date.utcoffset() is not None and mail.date.hour == 15
    assert mail.defects == [] and mail.automatic is None


def test_gb2312_labelled_subject_with_a_gbk_only_character_decodes() -> None:
    raw = (
        "From: wang@example.cn\r\nSubject: =?gb2312?B?" + _b("朱镕基的冰箱", "gbk") + "?=\r\n"
        "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + _b("冰箱不冷了，镕", "gbk")
        + "\r\n"
    ).encode()
    mail = parse(raw)
    assert mail.subject == "朱镕基的冰箱" and mail.text == "冰箱不冷了，镕" and mail.defects == []


def test_undeclared_big5_in_a_subject_is_recovered() -> None:
    raw = b"From: a@b.tw\r\nSubject: " + "詢問保固".encode("big5") + b"\r\n\r\nhello\r\n"
    assert parse(raw).subject == "詢問保固"


def test_html_only_gmail_reply_is_text_without_the_quoted_conversation() -> None:
    html = (
        '<div dir="ltr">洗衣機還是會漏水&nbsp;<b>請盡快</b>處理<br>謝謝</div><br>'
        '<div class="gmail_quote"><div class="gmail_attr">於 2026年12月7日 週一 下午3:00寫道：</div>'
        '<blockquote class="gmail_quote">您好，我們已收到您的來信 [#42]</blockquote></div>'
        "<script>alert(1)</script>"
    )
    raw = (
        "From: Customer <c@gmail.com>\r\nSubject: Re: [#42] =?utf-8?B?" + _b("洗衣機漏水", "utf-8") + "?=\r\n"
        "In-Reply-To: <t42.m7@cc.example>\r\nReferences: <t42.m1@cc.example> <t42.m7@cc.example>\r\n"
        'Content-Type: text/html; charset="UTF-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + _b(html, "utf-8")
    ).encode()
    mail = parse(raw)
    assert mail.text == "洗衣機還是會漏水 請盡快處理\n謝謝"
    assert "您好，我們已收到您的來信" in mail.full_text and "alert" not in mail.full_text
    assert mail.ticket_tag == 42 and mail.subject == "Re: [#42] 洗衣機漏水"
    assert mail.in_reply_to == ["t42.m7@cc.example"] and mail.references == ["t42.m1@cc.example", "t42.m7@cc.example"]


def test_plain_text_quoting_of_gmail_and_outlook_in_both_languages_is_cut() -> None:
    gmail_zh = "好的，明天上午可以。\n\n於 2026年12月7日 週一 下午3:00 客服中心 <support@cc.example>\n寫道：\n> 請問何時方便？\n"
    outlook_zh = "收到，謝謝。\n\n寄件者: 客服中心 <support@cc.example>\n寄件日期: 2026年12月7日 下午 03:00\n主旨: 維修\n\n請問…\n"
    outlook_en = "Thanks!\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nHello\n"
    gmail_en = "Sure.\n\nOn Mon, Dec 7, 2026 at 3:00 PM Support <support@cc.example> wrote:\n> When?\n"
    apple = "Fine by me.\n\n> earlier text\n> more\n"
    expected = ["好的，明天上午可以。", "收到，謝謝。", "Thanks!", "Sure.", "Fine by me."]
    for text, want in zip([gmail_zh, outlook_zh, outlook_en, gmail_en, apple], expected, strict=True):
        raw = b"From: a@b.tw\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode()
        assert parse(raw).text == want, text


def test_auto_replies_lists_and_bounces_are_marked_automatic() -> None:
    base = "From: {sender}\r\nSubject: Out of office\r\n{header}\r\n\r\nI am away.\r\n"
    cases = {
        "Auto-Submitted: auto-replied": "Auto-Submitted: auto-replied",
        "Precedence: bulk": "Precedence: bulk",
        "X-Autoreply: yes": "X-Autoreply",
        "List-Id: <news.example.com>": "mailing list",
    }
    for header, why in cases.items():
        assert parse(base.format(sender="a@b.tw", header=header).encode()).automatic == why
    assert parse(base.format(sender="a@b.tw", header="Auto-Submitted: no").encode()).automatic is None
    assert parse(base.format(sender="MAILER-DAEMON@mx.example", header="X-A: 1").encode()).automatic == "bounce"


def test_a_delivery_status_notification_names_the_message_that_bounced() -> None:
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nTo: support@cc.example\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; nobody@example.com.tw\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        b"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@cc.example\r\n"
        b"Message-ID: <t42.m7@cc.example>\r\nSubject: [#42] reply\r\n\r\n--B--\r\n"
    )
    mail = parse(raw)
    assert mail.automatic == "Auto-Submitted: auto-replied" and mail.bounced == ["t42.m7@cc.example"]


def test_attachments_inline_images_and_a_big5_file_name() -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 40
    raw = (
        "From: a@b.tw\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="M"\r\n\r\n'
        '--M\r\nContent-Type: multipart/related; boundary="R"\r\n\r\n'
        '--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>see <img src="cid:p1" alt="photo"></p>\r\n'
        "--R\r\nContent-Type: image/png\r\nContent-ID: <p1>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(b"\x89PNG\r\n\x1a\nxx").decode()
        + "\r\n--R--\r\n"
        "--M\r\nContent-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename*=big5''"
        + "".join(f"%{b:02X}" for b in "發票.pdf".encode("big5"))
        + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(pdf).decode()
        + "--M--\r\n"
    ).encode()
    mail = parse(raw)
    assert mail.text == "see [photo]"
    image, invoice = mail.attachments
    assert image.inline and image.content_id == "p1" and image.data.startswith(b"\x89PNG")
    assert invoice.filename == "發票.pdf" and not invoice.inline and invoice.data == pdf


def test_broken_messages_parse_with_their_defects_and_nothing_raised() -> None:
    no_from = parse(b"Subject: hi\r\n\r\nbody\r\n")
    assert no_from.sender is None and "no From address" in no_from.defects and no_from.text == "body"
    broken = parse(b'From: a@b.tw\r\nContent-Type: multipart/mixed; boundary="X"\r\n\r\nno boundary at all\r\n')
    assert broken.sender == "a@b.tw" and broken.defects
    garbage = parse(bytes(range(256)) * 4)
    assert garbage.sender is None
    undecodable = parse(b"From: a@b.tw\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\xfa\xfb\r\n")
    assert undecodable.text  # read by a fallback codec, never an exception


def test_charset_labels_map_to_the_supersets_mailers_write() -> None:
    assert charsets.candidates("big5")[0] == "cp950" and charsets.candidates("x-big5")[0] == "cp950"
    assert charsets.candidates("GB2312")[0] == "gb18030" and charsets.candidates("gbk")[0] == "gb18030"
    assert charsets.candidates("no-such-charset")[0] == "utf-8"
    assert charsets.decode("€".encode("cp950"), "big5") == ("€", True)
