"""CTI bridge between Asterisk (AMI) and the contact centre; arrives with issue #3.

Depends only on the call-event contract (`cti_bridge.contract`), never on the web app or the database.
"""
